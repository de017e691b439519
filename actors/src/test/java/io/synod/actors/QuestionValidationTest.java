// Questions that are empty, too long or not text are answered at once with a clear error, not solved.
package io.synod.actors;

import static org.assertj.core.api.Assertions.assertThat;

import io.synod.actors.session.QuestionSession;
import io.synod.decomposer.reasoning.Reasoner;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuestionValidationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    @Test
    void emptyAndOverlongQuestionsAreRefusedAsInvalidWithTheReason() {
        try (ActorHarness synod = ActorHarness.start(directory, FakeSolvers.instant(), "")) {
            QuestionSession.Failed empty = synod.ask("   ", DEADLINE)
                    .expectMessageClass(QuestionSession.Failed.class, DEADLINE);
            assertThat(empty.failure().kind()).isEqualTo(Failure.Kind.INVALID_QUESTION);
            assertThat(empty.failure().message()).contains("the question is empty");

            QuestionSession.Failed tooLong = synod.ask("why ".repeat(100), DEADLINE)
                    .expectMessageClass(QuestionSession.Failed.class, DEADLINE);
            assertThat(tooLong.failure().kind()).isEqualTo(Failure.Kind.INVALID_QUESTION);
            assertThat(tooLong.failure().message()).contains("at most " + Reasoner.MAX_QUESTION_LENGTH);

            assertThat(synod.solvers.calls).hasValue(0);
            assertThat(synod.status.counters().failed()).isEqualTo(2);
        }
    }

    @Test
    void aDeadlineBeyondTheMaximumIsRefusedAsAnInvalidRequest() {
        try (ActorHarness synod = ActorHarness.start(directory, FakeSolvers.instant(), "synod.sessions.max-deadline = 1 minute")) {
            QuestionSession.Failed failed = synod.ask("What is the capital of Togo?", Duration.ofMinutes(5))
                    .expectMessageClass(QuestionSession.Failed.class, DEADLINE);
            assertThat(failed.failure().kind()).isEqualTo(Failure.Kind.INVALID_REQUEST);
            assertThat(failed.failure().message()).contains("5 min").contains("synod.sessions.max-deadline");
        }
    }
}
