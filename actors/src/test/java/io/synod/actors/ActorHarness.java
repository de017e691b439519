// Starts Synod's actors in an ActorTestKit with fake solvers and a small graph, for tests of one behaviour each.
package io.synod.actors;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.synod.actors.routing.ExpertRouting;
import io.synod.actors.routing.FixedExperts;
import io.synod.actors.session.QuestionSession;
import io.synod.actors.session.SessionManager;
import io.synod.decomposer.reasoning.AskOptions;
import io.synod.decomposer.reasoning.Reasoner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * An ActorTestKit running a {@link SynodGuardian} over {@link FakeSolvers}. Every message is serialised and
 * read back as it is sent ({@code pekko.actor.serialize-messages = on}), so a message that Jackson cannot carry
 * fails the test. Questions are asked of the session manager with a {@link TestProbe} as the caller.
 */
final class ActorHarness implements AutoCloseable {

    final ActorTestKit kit;
    final FakeSolvers solvers;
    final RuntimeStatus status;
    final SynodGuardian.Services services;

    private ActorHarness(ActorTestKit kit, FakeSolvers solvers, RuntimeStatus status, SynodGuardian.Services services) {
        this.kit = kit;
        this.solvers = solvers;
        this.status = status;
        this.services = services;
    }

    /** @param settings HOCON overriding the synod defaults, e.g. {@code "synod.solver.pool-size = 2"} */
    static ActorHarness start(Path directory, FakeSolvers solvers, String settings) {
        return start(directory, solvers, settings, new FixedExperts(Reasoner.Experts.standard()));
    }

    /** As {@link #start(Path, FakeSolvers, String)}, choosing experts with {@code routing}. */
    static ActorHarness start(Path directory, FakeSolvers solvers, String settings, ExpertRouting routing) {
        Config config = ConfigFactory.parseString(settings)
                .withValue("synod.graph.source", ConfigValueFactory.fromAnyRef(TestGraphs.write(directory).toString()))
                .withValue("pekko.actor.serialize-messages", ConfigValueFactory.fromAnyRef("on"))
                .withFallback(ConfigFactory.load())
                .resolve();
        SynodSettings synodSettings = SynodSettings.from(config);
        ActorTestKit kit = ActorTestKit.create(config);
        RuntimeStatus status = new RuntimeStatus(synodSettings.solver().poolSize());
        ActorRef<SynodGuardian.Command> guardian = kit.spawn(SynodGuardian.create(synodSettings, solvers, routing,
                status), "synod");
        TestProbe<SynodGuardian.Services> probe = kit.createTestProbe();
        guardian.tell(new SynodGuardian.GetServices(probe.ref()));
        return new ActorHarness(kit, solvers, status, probe.receiveMessage());
    }

    void awaitReady() throws Exception {
        status.whenReady().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(status.readiness().ready()).isTrue();
    }

    /** Asks with the default options; the returned probe hears the session's events. */
    TestProbe<QuestionSession.Event> ask(String question, Duration deadline) {
        TestProbe<QuestionSession.Event> caller = kit.createTestProbe();
        services.sessions().tell(new SessionManager.Ask(question, AskOptions.defaults(), deadline, caller.ref()));
        return caller;
    }

    @Override
    public void close() {
        solvers.release();
        kit.shutdownTestKit();
    }
}
