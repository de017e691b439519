// The decomposer chooses each question's experts with its routing; a routing that throws refuses only that question.
package io.synod.actors;

import static io.synod.actors.SupervisionTest.receiveReply;
import static org.assertj.core.api.Assertions.assertThat;

import io.synod.actors.routing.ExpertRouting;
import io.synod.actors.session.QuestionSession;
import io.synod.decomposer.reasoning.Reasoner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    @Test
    void aRoutingThatThrowsRefusesThatQuestionAsUnavailableAndTheNextIsRoutedAnew() throws Exception {
        AtomicInteger routed = new AtomicInteger();
        ExpertRouting failsOnce = (question, strategy) -> {
            if (routed.incrementAndGet() == 1) {
                throw new IllegalStateException("no gate weights yet");
            }
            return Reasoner.Experts.standard();
        };
        try (ActorHarness synod = ActorHarness.start(directory, FakeSolvers.instant(), "", failsOnce)) {
            synod.awaitReady();

            QuestionSession.Failed refused = receiveReply(synod.ask("What is the capital of Togo?", DEADLINE),
                    QuestionSession.Failed.class);
            assertThat(refused.failure().kind()).isEqualTo(Failure.Kind.UNAVAILABLE);
            assertThat(refused.failure().message()).contains("expert routing failed").contains("no gate weights yet");
            assertThat(synod.solvers.calls).hasValue(0);

            QuestionSession.Answered answered = receiveReply(synod.ask("What is the capital of Ghana?", DEADLINE),
                    QuestionSession.Answered.class);
            assertThat(answered.answer().text()).isEqualTo("Togo");
        }
    }
}
