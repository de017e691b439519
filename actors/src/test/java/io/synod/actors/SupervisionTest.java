// A solver that throws is restarted; its question is retried once, and a second failure is an explicit error.
package io.synod.actors;

import static org.assertj.core.api.Assertions.assertThat;

import io.synod.actors.session.QuestionSession;
import io.synod.solvers.reasoning.TraceEvent;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisionTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration QUIET = Duration.ofMillis(300);

    @TempDir
    Path directory;

    @Test
    void aSolverThatThrowsIsRestartedAndTheQuestionStillGetsExactlyOneAnswer() throws Exception {
        try (ActorHarness synod = ActorHarness.start(directory, FakeSolvers.failing(1), "")) {
            synod.awaitReady();
            TestProbe<QuestionSession.Event> caller = synod.ask("What is the capital of Togo?", DEADLINE);

            QuestionSession.Answered answered = receiveReply(caller, QuestionSession.Answered.class);
            assertThat(answered.answer().text()).isEqualTo("Togo");
            // the trace shows the failed attempt, the retry and the attempt that answered
            assertThat(answered.answer().trace()).extracting(TraceEvent::id).containsExactly("1", "retry", "1");
            assertThat(answered.answer().trace().get(1).error()).contains("injected failure 1");
            caller.expectNoMessage(QUIET);

            assertThat(synod.status.counters().solverFailures()).isEqualTo(1);
            assertThat(synod.status.counters().answered()).isEqualTo(1);
        }
    }

    @Test
    void aRestartedSolverKeepsItsModelAndAnswersTheNextQuestion() throws Exception {
        try (ActorHarness synod = ActorHarness.start(directory, FakeSolvers.failing(1), "")) {
            synod.awaitReady();
            receiveReply(synod.ask("What is the capital of Togo?", DEADLINE), QuestionSession.Answered.class);

            QuestionSession.Answered next = receiveReply(synod.ask("What is the capital of Ghana?", DEADLINE),
                    QuestionSession.Answered.class);

            assertThat(next.answer().text()).isEqualTo("Togo");
            assertThat(synod.solvers.created).hasValue(1);
            assertThat(synod.solvers.closed).hasValue(0);
            assertThat(synod.status.readiness().ready()).isTrue();
        }
    }

    @Test
    void aSecondFailureIsAnsweredWithAnExplicitErrorAndThePartialTrace() throws Exception {
        try (ActorHarness synod = ActorHarness.start(directory, FakeSolvers.failing(2), "")) {
            synod.awaitReady();
            TestProbe<QuestionSession.Event> caller = synod.ask("What is the capital of Togo?", DEADLINE);

            QuestionSession.Failed failed = receiveReply(caller, QuestionSession.Failed.class);
            assertThat(failed.failure().kind()).isEqualTo(Failure.Kind.SOLVER_FAILED);
            assertThat(failed.failure().message())
                    .contains("both attempts").contains("injected failure 1").contains("injected failure 2");
            assertThat(failed.failure().trace()).extracting(TraceEvent::id).containsExactly("1", "retry", "1");
            caller.expectNoMessage(QUIET);
            assertThat(synod.status.counters().failed()).isEqualTo(1);
        }
    }

    @Test
    void aSolverFailingBeyondItsRestartLimitStopsAndItsQuestionGetsAnExplicitError() throws Exception {
        try (ActorHarness synod = ActorHarness.start(directory, FakeSolvers.failing(1), "synod.solver.max-restarts = 0")) {
            synod.awaitReady();
            TestProbe<QuestionSession.Event> caller = synod.ask("What is the capital of Togo?", DEADLINE);

            // the only solver stopped for good: the retry finds no solver to run on (UNAVAILABLE), or was handed
            // to it as it stopped (SOLVER_FAILED), depending on which the pool heard of first
            QuestionSession.Failed failed = receiveReply(caller, QuestionSession.Failed.class);
            assertThat(failed.failure().kind()).isIn(Failure.Kind.UNAVAILABLE, Failure.Kind.SOLVER_FAILED);
            assertThat(failed.failure().message()).contains("injected failure 1").contains("solver-1 stopped");
            caller.expectNoMessage(QUIET);
            assertThat(synod.status.readiness().ready()).isFalse();
            assertThat(synod.solvers.closed).hasValue(1);
        }
    }

    @Test
    void theQuestionsASolverHoldsBehindOneThatThrowsAreAnsweredAfterTheRestart() throws Exception {
        FakeSolvers solvers = new FakeSolvers((fakes, job, listener, call) -> {
            if (call == 1) {
                // hold the first question until the second is in the solver's mailbox behind it, then throw
                fakes.awaitRelease();
                throw new IllegalStateException("injected failure 1");
            }
            return FakeSolvers.answer(job, "Togo", FakeSolvers.steps(listener, 1));
        });
        try (ActorHarness synod = ActorHarness.start(directory, solvers, "synod.solver.prefetch = 2")) {
            synod.awaitReady();
            TestProbe<QuestionSession.Event> first = synod.ask("What is the capital of Togo?", DEADLINE);
            awaitCalls(synod, 1);
            TestProbe<QuestionSession.Event> second = synod.ask("What is the capital of Ghana?", DEADLINE);
            awaitQueueDepth(synod, 1);
            synod.solvers.release();

            QuestionSession.Answered retried = receiveReply(first, QuestionSession.Answered.class);
            assertThat(retried.answer().trace()).extracting(TraceEvent::id).containsExactly("retry", "1");
            receiveReply(second, QuestionSession.Answered.class);
            first.expectNoMessage(QUIET);
            second.expectNoMessage(QUIET);
            assertThat(synod.solvers.created).hasValue(1);
            assertThat(synod.solvers.calls).hasValue(3);
        }
    }

    private static void awaitCalls(ActorHarness synod, int calls) throws InterruptedException {
        long giveUp = System.nanoTime() + DEADLINE.toNanos();
        while (synod.solvers.calls.get() < calls) {
            assertThat(System.nanoTime()).as("the solvers never got " + calls + " questions").isLessThan(giveUp);
            Thread.sleep(10);
        }
    }

    private static void awaitQueueDepth(ActorHarness synod, int depth) throws InterruptedException {
        long giveUp = System.nanoTime() + DEADLINE.toNanos();
        while (synod.status.counters().queueDepth() != depth) {
            assertThat(System.nanoTime()).as("queue depth never reached " + depth).isLessThan(giveUp);
            Thread.sleep(10);
        }
    }

    /** Skips the trace events and returns the one reply, which must be of the given type. */
    static <T extends QuestionSession.Event> T receiveReply(TestProbe<QuestionSession.Event> caller, Class<T> type) {
        QuestionSession.Event event = caller.receiveMessage(DEADLINE);
        while (event instanceof QuestionSession.TraceRecorded) {
            event = caller.receiveMessage(DEADLINE);
        }
        assertThat(event).isInstanceOf(type);
        return type.cast(event);
    }
}
