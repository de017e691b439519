// Beyond the sessions in flight or the solver queue, questions are refused at once, never queued without bound.
package io.synod.actors;

import static io.synod.actors.SupervisionTest.receiveReply;
import static org.assertj.core.api.Assertions.assertThat;

import io.synod.actors.session.QuestionSession;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackPressureTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    @Test
    void questionsBeyondTheSessionsInFlightAreRefusedAtOnceAsOverloaded() throws Exception {
        try (ActorHarness synod = ActorHarness.start(directory, FakeSolvers.slow(),
                "synod.sessions.max-in-flight = 2, synod.solver.pool-size = 2")) {
            synod.awaitReady();
            TestProbe<QuestionSession.Event> first = synod.ask("What is the capital of Togo?", DEADLINE);
            TestProbe<QuestionSession.Event> second = synod.ask("What is the capital of Ghana?", DEADLINE);
            first.expectMessageClass(QuestionSession.TraceRecorded.class, DEADLINE);
            second.expectMessageClass(QuestionSession.TraceRecorded.class, DEADLINE);

            // both solvers are held by the slow questions: the reply can only be a refusal
            TestProbe<QuestionSession.Event> third = synod.ask("What is the capital of Benin?", DEADLINE);
            QuestionSession.Failed refused = third.expectMessageClass(QuestionSession.Failed.class, DEADLINE);
            assertThat(refused.failure().kind()).isEqualTo(Failure.Kind.OVERLOADED);
            assertThat(refused.failure().message()).contains("synod.sessions.max-in-flight");
            assertThat(synod.status.counters().refused()).isEqualTo(1);
            assertThat(synod.status.counters().sessionsInFlight()).isEqualTo(2);

            synod.solvers.release();
            receiveReply(first, QuestionSession.Answered.class);
            receiveReply(second, QuestionSession.Answered.class);
            third.expectNoMessage(Duration.ofMillis(200));
        }
    }

    @Test
    void questionsBeyondAFullSolverQueueAreRefusedAtOnceAsOverloaded() throws Exception {
        try (ActorHarness synod = ActorHarness.start(directory, FakeSolvers.slow(),
                "synod.sessions.max-in-flight = 10, synod.solver.pool-size = 1, synod.solver.queue-size = 1")) {
            synod.awaitReady();
            TestProbe<QuestionSession.Event> running = synod.ask("What is the capital of Togo?", DEADLINE);
            running.expectMessageClass(QuestionSession.TraceRecorded.class, DEADLINE);
            TestProbe<QuestionSession.Event> waiting = synod.ask("What is the capital of Ghana?", DEADLINE);
            awaitQueueDepth(synod, 1);

            TestProbe<QuestionSession.Event> third = synod.ask("What is the capital of Benin?", DEADLINE);
            QuestionSession.Failed refused = third.expectMessageClass(QuestionSession.Failed.class, DEADLINE);
            assertThat(refused.failure().kind()).isEqualTo(Failure.Kind.OVERLOADED);
            assertThat(refused.failure().message()).contains("synod.solver.queue-size");
            assertThat(synod.status.counters().refused()).isEqualTo(1);

            synod.solvers.release();
            receiveReply(running, QuestionSession.Answered.class);
            receiveReply(waiting, QuestionSession.Answered.class);
            assertThat(synod.status.counters().queueDepth()).isZero();
        }
    }

    @Test
    void jobsHeldInASolversMailboxCountAgainstTheQueueBound() throws Exception {
        try (ActorHarness synod = ActorHarness.start(directory, FakeSolvers.slow(), "synod.sessions.max-in-flight = 10,"
                + " synod.solver.pool-size = 1, synod.solver.queue-size = 1, synod.solver.prefetch = 2")) {
            synod.awaitReady();
            TestProbe<QuestionSession.Event> running = synod.ask("What is the capital of Togo?", DEADLINE);
            running.expectMessageClass(QuestionSession.TraceRecorded.class, DEADLINE);
            // held by the busy solver, behind the running question: it waits, and counts as waiting
            TestProbe<QuestionSession.Event> held = synod.ask("What is the capital of Ghana?", DEADLINE);
            awaitQueueDepth(synod, 1);

            TestProbe<QuestionSession.Event> third = synod.ask("What is the capital of Benin?", DEADLINE);
            QuestionSession.Failed refused = third.expectMessageClass(QuestionSession.Failed.class, DEADLINE);
            assertThat(refused.failure().kind()).isEqualTo(Failure.Kind.OVERLOADED);
            assertThat(refused.failure().message()).contains("synod.solver.queue-size");

            synod.solvers.release();
            receiveReply(running, QuestionSession.Answered.class);
            receiveReply(held, QuestionSession.Answered.class);
            assertThat(synod.status.counters().queueDepth()).isZero();
        }
    }

    private static void awaitQueueDepth(ActorHarness synod, int depth) throws InterruptedException {
        long giveUp = System.nanoTime() + DEADLINE.toNanos();
        while (synod.status.counters().queueDepth() != depth) {
            assertThat(System.nanoTime()).as("queue depth never reached " + depth).isLessThan(giveUp);
            Thread.sleep(10);
        }
    }
}
