// The messages that may cross machines are serialised with Jackson CBOR and read back equal.
package io.synod.actors;

import static org.assertj.core.api.Assertions.assertThat;

import io.synod.actors.adapters.AdapterManager;
import io.synod.actors.knowledge.KnowledgeSolverActor;
import io.synod.actors.session.QuestionSession;
import io.synod.actors.session.SessionManager;
import io.synod.actors.solver.Job;
import io.synod.actors.solver.SolverActor;
import io.synod.actors.solver.SolverPool;
import io.synod.decomposer.reasoning.Answer;
import io.synod.decomposer.reasoning.AskOptions;
import io.synod.decomposer.reasoning.Reasoner;
import io.synod.decomposer.reasoning.Strategy;
import io.synod.kg.KnowledgeGraph;
import io.synod.solvers.reasoning.TraceEvent;
import io.synod.solvers.reasoning.Value;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class MessageSerializationTest {

    private static final ActorTestKit kit = ActorTestKit.create();
    private static final SerializationTestKit serialization = new SerializationTestKit(kit.system());

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    private static final TraceEvent STEP = new TraceEvent("1", null, "kg", "Which currency is used in Togo?",
            "West African CFA franc", "walk", 2.5, 40.25, null, List.of("Togo -currency-> West African CFA franc"));

    @Test
    void questionsAnswersAndFailuresRoundTripThroughJacksonCbor() {
        TestProbe<QuestionSession.Event> caller = kit.createTestProbe();
        Answer answer = new Answer("Which currency is used in Togo?", Strategy.AUTO,
                List.of(Value.entity("West African CFA franc", "http://synod.io/world/currency/XOF", List.of("CFA franc"))),
                null, "QC: ...\nQS: [EOQ]", List.of("Togo -currency-> West African CFA franc"), List.of(STEP), 812.5);

        roundTrip(new SessionManager.Ask("Which currency is used in Togo?", AskOptions.defaults(), Duration.ofSeconds(30),
                caller.ref()));
        roundTrip(new QuestionSession.TraceRecorded("session-1", STEP));
        roundTrip(new QuestionSession.Answered("session-1", answer));
        roundTrip(new QuestionSession.Failed("session-1", new Failure(Failure.Kind.DEADLINE_EXCEEDED, "too slow",
                List.of(STEP))));
    }

    @Test
    void solverJobsAndRepliesRoundTripThroughJacksonCbor() {
        TestProbe<SolverActor.Reply> session = kit.createTestProbe();
        Job job = new Job("session-1", "What is the capital of Togo?", AskOptions.defaults().withStrategy(Strategy.KSL),
                new Reasoner.Experts("decompose", null, "direct", null, false), Instant.parse("2030-01-01T00:00:00Z"), 2);

        roundTrip(new SolverPool.Solve(job, session.ref()));
        roundTrip(new SolverActor.Traced("session-1", STEP));
        roundTrip(new SolverActor.SolveFailed("session-1", Failure.Kind.SOLVER_FAILED, "solver-1 failed", true));
    }

    @Test
    void graphLookUpsAndAdapterListingsRoundTripThroughJacksonCbor() {
        KnowledgeGraph.Entity togo = new KnowledgeGraph.Entity("http://synod.io/world/country/TG", "Togo",
                List.of("Togolese Republic"), List.of("country"));
        KnowledgeGraph.Relation capital = new KnowledgeGraph.Relation("http://synod.io/world/rel/capital", "capital",
                "capital", "the capital city", 250);
        KnowledgeGraph.Edge edge = new KnowledgeGraph.Edge(capital, KnowledgeGraph.Direction.OUT,
                new KnowledgeGraph.Node("http://synod.io/world/city/lome", "Lomé", false));

        roundTrip(new KnowledgeSolverActor.EntitiesFound("togo",
                List.of(new KnowledgeGraph.Candidate(togo, "Togo", 1.0, true))));
        roundTrip(new KnowledgeSolverActor.Neighbourhood(togo, List.of(edge), 12, List.of(), 0));
        roundTrip(new AdapterManager.Listing(List.of("direct", "walk"), List.of("compose", "direct", "walk"), "/tmp/a"));
    }

    @Test
    void routedJobsAndExpertSelectionsRoundTripThroughJacksonCbor() {
        TestProbe<SolverActor.Reply> session = kit.createTestProbe();
        Job job = new Job("session-2", "What is the capital of Togo?", AskOptions.defaults(),
                Reasoner.Experts.routed(new io.synod.solvers.experts.GateOptions(List.of("walk", "decompose"), 0.05, 2)),
                Instant.parse("2030-01-01T00:00:00Z"), 1);
        roundTrip(new SolverPool.Solve(job, session.ref()));
        TestProbe<AdapterManager.Reply> admin = kit.createTestProbe();
        var example = new io.synod.adapters.experts.KShotExample(io.synod.adapters.experts.KShotExample.Form.QUESTION,
                "What is the capital of Togo?", List.of("Lomé", "Lome"), "kshot[0]");
        roundTrip(new AdapterManager.SelectExperts(List.of(example), List.of("walk"), 8, 4, admin.ref()));
        var selection = io.synod.adapters.experts.KShotSelection.select(1, List.of(
                io.synod.adapters.experts.KShotSelection.Candidate.measured("walk", 1.0, 1.2),
                io.synod.adapters.experts.KShotSelection.Candidate.measured("direct", 0.0, 9.5),
                io.synod.adapters.experts.KShotSelection.Candidate.failed("broken", "failed to load")),
                (first, second) -> 0.25, 8, 2);
        roundTrip(new AdapterManager.Selected(new io.synod.solvers.experts.ExpertSelector.Report(selection,
                List.of("walk", "direct", "broken"), 1234)));
    }

    private static void roundTrip(SynodMessage message) {
        assertThat(SerializationExtension.get(kit.system().classicSystem()).findSerializerFor(message))
                .isInstanceOf(JacksonCborSerializer.class);
        assertThat(serialization.verifySerialization(message, true)).isEqualTo(message);
    }
}
