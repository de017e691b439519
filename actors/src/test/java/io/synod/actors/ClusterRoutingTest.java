// In a cluster the pool routes a job to the solver that holds its adapters; a solver lacking them loads them on demand.
package io.synod.actors;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.synod.actors.solver.Job;
import io.synod.actors.solver.OnDemandAdapters;
import io.synod.actors.solver.SolverActor;
import io.synod.actors.solver.SolverPool;
import io.synod.decomposer.reasoning.AskOptions;
import io.synod.decomposer.reasoning.Reasoner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterRoutingTest {

    @TempDir
    Path catalogue;

    private ActorTestKit kit;
    private RuntimeStatus status;

    private ActorRef<SolverPool.Command> startPool(String routing) throws Exception {
        return startPool(routing, FakeSolvers.instant());
    }

    private ActorRef<SolverPool.Command> startPool(String routing, FakeSolvers solvers) throws Exception {
        Files.createDirectories(catalogue.resolve("legal"));
        Files.createDirectories(catalogue.resolve("medical"));
        Config config = ConfigFactory.parseString("""
                synod.solver.pool-size = 2
                synod.cluster { enabled = on, role = both, port = 0, routing = %s }
                pekko.actor.serialize-messages = on
                """.formatted(routing)).withFallback(ConfigFactory.load()).resolve();
        SynodSettings settings = SynodSettings.from(config);
        kit = ActorTestKit.create("synod", settings.cluster().pekkoConfig().withFallback(config));
        Cluster cluster = Cluster.get(kit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        status = new RuntimeStatus(2);
        status.graphLoaded();   // the fake solvers walk no graph
        ActorRef<SolverPool.Command> pool = kit.spawn(SolverPool.create(settings, solvers, status,
                () -> new OnDemandAdapters(() -> catalogue, 4)), "solver-pool");
        pool.tell(new SolverPool.Start(null));
        status.whenReady().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        return pool;
    }

    @AfterEach
    void stop() {
        if (kit != null) {
            kit.shutdownTestKit();
        }
    }

    private static Job job(String id, String adapter) {
        return new Job(id, "What is the capital of Togo?", AskOptions.defaults(),
                new Reasoner.Experts("decompose", adapter, "direct", "compose", false), Instant.now().plusSeconds(30), 1);
    }

    /** The solver the job started on. */
    private static String startedOn(TestProbe<SolverActor.Reply> session) {
        while (true) {
            SolverActor.Reply reply = session.receiveMessage(Duration.ofSeconds(10));
            if (reply instanceof SolverActor.Started started) {
                return started.solver();
            } else if (reply instanceof SolverActor.SolveFailed failed) {
                throw new AssertionError("the job failed: " + failed.message());
            }
        }
    }

    /** The solver that ran the job, once it is solved. */
    private static String solvedBy(TestProbe<SolverActor.Reply> session) {
        String solver = null;
        while (true) {
            SolverActor.Reply reply = session.receiveMessage(Duration.ofSeconds(10));
            if (reply instanceof SolverActor.Started started) {
                solver = started.solver();
            } else if (reply instanceof SolverActor.Solved) {
                return solver;
            } else if (reply instanceof SolverActor.SolveFailed failed) {
                throw new AssertionError("the job failed: " + failed.message());
            }
        }
    }

    @Test
    void aJobGoesToTheSolverThatLoadedItsAdapterNotTheFirstFreeOne() throws Exception {
        FakeSolvers solvers = FakeSolvers.slow();
        ActorRef<SolverPool.Command> pool = startPool("affinity", solvers);
        TestProbe<SolverActor.Reply> legal = kit.createTestProbe();
        TestProbe<SolverActor.Reply> medical = kit.createTestProbe();
        // the first job holds its solver until released, so the second lands on the other one; each loads its
        // adapter on demand
        pool.tell(new SolverPool.Solve(job("1", "legal"), legal.ref()));
        pool.tell(new SolverPool.Solve(job("2", "medical"), medical.ref()));
        String legalSolver = startedOn(legal);
        String medicalSolver = startedOn(medical);
        solvers.release();
        solvedBy(legal);
        solvedBy(medical);
        assertThat(legalSolver).isNotEqualTo(medicalSolver);
        assertThat(status.adapterLoads()).isEqualTo(2);

        for (int i = 0; i < 4; i++) {
            TestProbe<SolverActor.Reply> session = kit.createTestProbe();
            String adapter = i % 2 == 0 ? "medical" : "legal";
            pool.tell(new SolverPool.Solve(job("again-" + i, adapter), session.ref()));
            assertThat(solvedBy(session)).isEqualTo(adapter.equals("medical") ? medicalSolver : legalSolver);
        }
        assertThat(status.adapterLoads()).as("no adapter loaded twice").isEqualTo(2);
        assertThat(status.adaptersByNode().values()).singleElement().satisfies(adapters ->
                assertThat(adapters).contains("legal", "medical", "walk"));
    }

    @Test
    void roundRobinTakesTheSolversInTurnWhateverTheyHold() throws Exception {
        ActorRef<SolverPool.Command> pool = startPool("round-robin");
        String previous = null;
        for (int i = 0; i < 4; i++) {
            TestProbe<SolverActor.Reply> session = kit.createTestProbe();
            pool.tell(new SolverPool.Solve(job("turn-" + i, "legal"), session.ref()));
            String solver = solvedBy(session);
            assertThat(solver).isNotEqualTo(previous);
            previous = solver;
        }
        assertThat(status.adapterLoads()).isEqualTo(2);
    }

    @Test
    void aJobNamingAnAdapterTheCatalogueLacksIsRefusedNamingIt() throws Exception {
        ActorRef<SolverPool.Command> pool = startPool("affinity");
        TestProbe<SolverActor.Reply> session = kit.createTestProbe();
        pool.tell(new SolverPool.Solve(job("1", "unknown-expert"), session.ref()));
        SolverActor.Reply reply;
        do {
            reply = session.receiveMessage(Duration.ofSeconds(10));
        } while (!(reply instanceof SolverActor.SolveFailed));
        assertThat(((SolverActor.SolveFailed) reply).message()).contains("unknown-expert", "not resident");
    }
}
