// The messages a front and a solver node exchange are serialised with Jackson CBOR and read back equal.
package io.synod.actors.solver;

import static org.assertj.core.api.Assertions.assertThat;

import io.synod.actors.Failure;
import io.synod.actors.SynodMessage;
import io.synod.decomposer.reasoning.Answer;
import io.synod.decomposer.reasoning.AskOptions;
import io.synod.decomposer.reasoning.Reasoner;
import io.synod.decomposer.reasoning.Strategy;
import io.synod.solvers.experts.GateOptions;
import io.synod.solvers.reasoning.TraceEvent;
import io.synod.solvers.reasoning.Value;

import java.time.Instant;
import java.util.List;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class ClusterMessageSerializationTest {

    private static final ActorTestKit kit = ActorTestKit.create();
    private static final SerializationTestKit serialization = new SerializationTestKit(kit.system());

    private static final TraceEvent STEP = new TraceEvent("1.link", "1", "kg", "Lomé", "Lomé [city in Togo]", "walk",
            1092.7, 70.4, null, List.of("Lomé -capital-of-> Togo"));

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void aJobWithItsOptionsExpertsAndReplyAddressesCrossesToASolverNode() {
        TestProbe<SolverActor.Reply> session = kit.createTestProbe();
        TestProbe<SolverPool.Command> front = kit.createTestProbe();
        Job standard = new Job("7", "Which currency is used in the country whose capital is Lomé?",
                new AskOptions(Strategy.DASLAM, 3, 5, 2), Reasoner.Experts.standard(),
                Instant.parse("2030-01-01T00:00:00.123Z"), 1);
        Job routed = new Job("8", "What is the capital of Ghana?", AskOptions.defaults(),
                Reasoner.Experts.routed(new GateOptions(List.of("walk", "walk-3"), 0.02, 2)),
                Instant.parse("2030-01-01T00:00:00Z"), 2);

        roundTrip(new SolverActor.Run(standard, session.ref(), front.ref()));
        roundTrip(new SolverActor.Run(routed, session.ref(), front.ref()));
        roundTrip(new SolverActor.Introduce(front.ref()));
    }

    @Test
    void aSolverNodesRepliesWithAnswersTracesAndFailuresCrossBackToTheFront() {
        TestProbe<SolverActor.Command> solver = kit.createTestProbe();
        Answer answer = new Answer("Which currency is used in Togo?", Strategy.AUTO,
                List.of(Value.entity("West African CFA franc", "http://synod.io/world/currency/XOF", List.of("CFA franc"))),
                null, "QC: ...\nQS: [EOQ]", List.of("Togo -currency-> West African CFA franc"), List.of(STEP), 812.5);

        Job job = new Job("7", "Which currency is used in Togo?", AskOptions.defaults(), Reasoner.Experts.standard(),
                Instant.parse("2030-01-01T00:00:00Z"), 2);
        roundTrip(new SolverActor.Started("7", "solver-1", job));
        roundTrip(new SolverActor.Traced("7", STEP));
        roundTrip(new SolverActor.Solved("7", answer));
        roundTrip(new SolverActor.SolveFailed("7", Failure.Kind.SOLVER_FAILED, "solver-1 on node 2 was lost", true));
        roundTrip(new SolverPool.SolverStarted(solver.ref(), List.of("compose", "decompose", "direct", "walk")));
        roundTrip(new SolverPool.JobDone(solver.ref(), "7"));
        roundTrip(new SolverPool.SolverCrashed(solver.ref(), "solver-1 failed: IllegalStateException"));
        roundTrip(new SolverPool.AdaptersLoaded(solver.ref(), List.of("walk", "walk-3"), 1));
    }

    private static void roundTrip(SynodMessage message) {
        assertThat(SerializationExtension.get(kit.system().classicSystem()).findSerializerFor(message))
                .isInstanceOf(JacksonCborSerializer.class);
        assertThat(serialization.verifySerialization(message, true)).isEqualTo(message);
    }
}
