// A question still unanswered at its deadline gets one deadline error with the steps recorded so far.
package io.synod.actors;

import static io.synod.actors.SupervisionTest.receiveReply;
import static org.assertj.core.api.Assertions.assertThat;

import io.synod.actors.session.QuestionSession;
import io.synod.solvers.reasoning.TraceEvent;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadlineTest {

    @TempDir
    Path directory;

    @Test
    void aSlowSolverGivesOneDeadlineErrorWithThePartialTrace() throws Exception {
        try (ActorHarness synod = ActorHarness.start(directory, FakeSolvers.slow(), "")) {
            synod.awaitReady();
            TestProbe<QuestionSession.Event> caller = synod.ask("What is the capital of Togo?", Duration.ofMillis(500));

            QuestionSession.Failed failed = receiveReply(caller, QuestionSession.Failed.class);
            assertThat(failed.failure().kind()).isEqualTo(Failure.Kind.DEADLINE_EXCEEDED);
            assertThat(failed.failure().message()).contains("500 ms").contains("solver-1 was still working on it");
            assertThat(failed.failure().trace()).extracting(TraceEvent::id).containsExactly("1");

            // the solver's late answer finds the session gone: no second reply
            synod.solvers.release();
            caller.expectNoMessage(Duration.ofMillis(500));
        }
    }

    @Test
    void aQuestionWaitingForABusySolverAtItsDeadlineSaysSo() throws Exception {
        try (ActorHarness synod = ActorHarness.start(directory, FakeSolvers.slow(), "")) {
            synod.awaitReady();
            TestProbe<QuestionSession.Event> running = synod.ask("What is the capital of Togo?", Duration.ofSeconds(30));
            running.expectMessageClass(QuestionSession.TraceRecorded.class, Duration.ofSeconds(30));

            TestProbe<QuestionSession.Event> waiting = synod.ask("What is the capital of Ghana?", Duration.ofMillis(300));
            QuestionSession.Failed failed = waiting.expectMessageClass(QuestionSession.Failed.class, Duration.ofSeconds(30));
            assertThat(failed.failure().kind()).isEqualTo(Failure.Kind.DEADLINE_EXCEEDED);
            assertThat(failed.failure().message()).contains("waiting for a free solver");
            assertThat(failed.failure().trace()).isEmpty();

            synod.solvers.release();
            receiveReply(running, QuestionSession.Answered.class);
            // the expired question was dropped from the queue, not run
            assertThat(synod.solvers.calls).hasValue(1);
        }
    }

    @Test
    void aQuestionHeldInABusySolversMailboxAtItsDeadlineIsAnsweredAndNeverRun() throws Exception {
        try (ActorHarness synod = ActorHarness.start(directory, FakeSolvers.slow(), "synod.solver.prefetch = 2")) {
            synod.awaitReady();
            TestProbe<QuestionSession.Event> running = synod.ask("What is the capital of Togo?", Duration.ofSeconds(30));
            running.expectMessageClass(QuestionSession.TraceRecorded.class, Duration.ofSeconds(30));

            TestProbe<QuestionSession.Event> held = synod.ask("What is the capital of Ghana?", Duration.ofMillis(300));
            QuestionSession.Failed failed = held.expectMessageClass(QuestionSession.Failed.class, Duration.ofSeconds(30));
            assertThat(failed.failure().kind()).isEqualTo(Failure.Kind.DEADLINE_EXCEEDED);
            assertThat(failed.failure().message()).contains("waiting for a free solver");

            synod.solvers.release();
            receiveReply(running, QuestionSession.Answered.class);
            // the solver dropped the expired question it held instead of running it, and answers the next one
            receiveReply(synod.ask("What is the capital of Benin?", Duration.ofSeconds(30)), QuestionSession.Answered.class);
            assertThat(synod.solvers.calls).hasValue(2);
            held.expectNoMessage(Duration.ofMillis(200));
        }
    }

    @Test
    void aLaterQuestionWithAnEarlierDeadlineIsAnsweredAtItsOwnDeadline() throws Exception {
        try (ActorHarness synod = ActorHarness.start(directory, FakeSolvers.slow(), "")) {
            synod.awaitReady();
            TestProbe<QuestionSession.Event> patient = synod.ask("What is the capital of Togo?", Duration.ofSeconds(60));
            patient.expectMessageClass(QuestionSession.TraceRecorded.class, Duration.ofSeconds(30));

            // the manager's one timer was set for the first question's minute; the second question's deadline is
            // earlier and must be kept all the same
            TestProbe<QuestionSession.Event> hasty = synod.ask("What is the capital of Ghana?", Duration.ofMillis(300));
            QuestionSession.Failed failed = hasty.expectMessageClass(QuestionSession.Failed.class, Duration.ofSeconds(20));
            assertThat(failed.failure().kind()).isEqualTo(Failure.Kind.DEADLINE_EXCEEDED);
            assertThat(failed.failure().message()).contains("300 ms");
            patient.expectNoMessage(Duration.ofMillis(100));

            synod.solvers.release();
            receiveReply(patient, QuestionSession.Answered.class);
        }
    }
}
