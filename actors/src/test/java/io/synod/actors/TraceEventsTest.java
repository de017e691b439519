// Trace events reach the caller and the trace topic's subscribers as they happen, in order, before the answer.
package io.synod.actors;

import static org.assertj.core.api.Assertions.assertThat;

import io.synod.actors.session.QuestionSession;
import io.synod.solvers.reasoning.TraceEvent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceEventsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    @Test
    void traceEventsReachTheCallerInOrderBeforeTheAnswerAndMatchItsTrace() throws Exception {
        FakeSolvers solvers = new FakeSolvers((fakes, job, listener, call) ->
                FakeSolvers.answer(job, "Togo", FakeSolvers.steps(listener, 5)));
        try (ActorHarness synod = ActorHarness.start(directory, solvers, "")) {
            TestProbe<QuestionSession.Event> caller = synod.ask("What is the capital of Togo?", DEADLINE);

            List<TraceEvent> streamed = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                streamed.add(caller.expectMessageClass(QuestionSession.TraceRecorded.class, DEADLINE).event());
            }
            QuestionSession.Answered answered = caller.expectMessageClass(QuestionSession.Answered.class, DEADLINE);

            assertThat(streamed).extracting(TraceEvent::id).containsExactly("1", "2", "3", "4", "5");
            assertThat(answered.answer().trace()).isEqualTo(streamed);
            caller.expectNoMessage(Duration.ofMillis(200));
        }
    }

    @Test
    void subscribersOfTheTraceTopicGetEveryQuestionsEventsInOrder() throws Exception {
        FakeSolvers solvers = new FakeSolvers((fakes, job, listener, call) ->
                FakeSolvers.answer(job, "Togo", FakeSolvers.steps(listener, 3)));
        try (ActorHarness synod = ActorHarness.start(directory, solvers, "")) {
            TestProbe<QuestionSession.TraceRecorded> subscriber = synod.kit.createTestProbe();
            synod.services.traces().subscribe(subscriber.ref());

            TestProbe<QuestionSession.Event> caller = synod.ask("What is the capital of Togo?", DEADLINE);
            QuestionSession.Answered answered = SupervisionTest.receiveReply(caller, QuestionSession.Answered.class);

            List<QuestionSession.TraceRecorded> published = subscriber.receiveSeveralMessages(3, DEADLINE);
            assertThat(published).extracting(QuestionSession.TraceRecorded::sessionId).containsOnly(answered.sessionId());
            assertThat(published).extracting(QuestionSession.TraceRecorded::event).isEqualTo(answered.answer().trace());
        }
    }
}
