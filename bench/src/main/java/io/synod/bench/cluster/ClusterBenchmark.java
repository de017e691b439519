// `bench/run cluster`: Synod on Pekko Cluster in one JVM (nodes on distinct loopback ports): questions per second with
// one and with two solver nodes on the embedded default model, and adapter loads with affinity against round-robin
// routing over a workload that mixes 8 adapters.
package io.synod.bench.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.synod.actors.RuntimeStatus;
import io.synod.actors.Synod;
import io.synod.actors.SynodSettings;
import io.synod.actors.cluster.ClusterStatus;
import io.synod.actors.solver.Job;
import io.synod.actors.solver.SolverActor;
import io.synod.actors.solver.SolverPool;
import io.synod.bench.BenchCommand;
import io.synod.decomposer.model.DefaultModel;
import io.synod.decomposer.reasoning.Answer;
import io.synod.decomposer.reasoning.AskOptions;
import io.synod.decomposer.reasoning.Reasoner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

public final class ClusterBenchmark {

    private static final String TEST_SPLIT = "/io/synod/kg/world/questions/test.jsonl";
    /** The workload's adapters: copies of the default model's walk expert under 8 names, in a catalogue of their own. */
    private static final int ADAPTERS = 8;

    @Command(name = "bench/run cluster", sortOptions = false,
            description = "Questions/s with one and two solver nodes on Pekko Cluster, and adapter loads with affinity"
                    + " against round-robin routing over 8 adapters.",
            footer = {"Nodes are actor systems of this JVM on loopback ports, each solver node with its own model and graph.",
                "The last line is adapter_loads_round_robin_vs_affinity: <ratio>."})
    static final class Options implements Callable<Integer> {
        @Option(names = "--questions", defaultValue = "60", paramLabel = "N", converter = BenchCommand.Positive.class,
                description = "test-split questions per throughput run, with one and with two solver nodes"
                        + " (default ${DEFAULT-VALUE})")
        int questions;

        @Option(names = "--rounds", defaultValue = "3", paramLabel = "N", converter = BenchCommand.Positive.class,
                description = "throughput rounds, each one node then two (the second joins, then leaves); medians"
                        + " (default ${DEFAULT-VALUE})")
        int rounds;

        @Option(names = "--jobs", defaultValue = "160", paramLabel = "N", converter = BenchCommand.Positive.class,
                description = "jobs of the 8-adapter workload, per routing (default ${DEFAULT-VALUE})")
        int jobs;

        @Option(names = "--concurrency", defaultValue = "4", paramLabel = "N", converter = BenchCommand.Positive.class,
                description = "questions or jobs in flight (default ${DEFAULT-VALUE})")
        int concurrency;

        @Option(names = "--on-demand", defaultValue = "4", paramLabel = "N", converter = BenchCommand.Positive.class,
                description = "adapters loaded on demand a solver keeps resident (synod.solver.on-demand-adapters,"
                        + " default ${DEFAULT-VALUE})")
        int onDemand;

        @Mixin
        BenchCommand.Help help;

        @Override
        public Integer call() throws Exception {
            run(this);
            return 0;
        }
    }

    private ClusterBenchmark() {
    }

    public static void main(String[] args) {
        BenchCommand.execute(new Options(), args);
    }

    private static void run(Options options) throws Exception {
        Path work = Files.createTempDirectory("synod-cluster-bench");
        List<String> questions = questions(options.questions);

        System.out.println("== throughput on the embedded default model (" + options.questions
                + " test-split questions, " + options.concurrency + " in flight, one PyTorch thread per solver) ==");
        double[] perSecond = throughput(work, questions, options);
        System.out.printf(Locale.ROOT, "median, one solver node:  %.2f questions/s%n", perSecond[0]);
        System.out.printf(Locale.ROOT, "median, two solver nodes: %.2f questions/s (x%.2f)%n", perSecond[1],
                perSecond[1] / perSecond[0]);

        System.out.println("== adapter loads over " + options.jobs + " jobs mixing " + ADAPTERS
                + " adapters, two solver nodes, at most " + options.onDemand + " on-demand adapters per solver ==");
        Path catalogue = catalogue(work);
        long affinity = adapterLoads(work, catalogue, "affinity", questions, options);
        long roundRobin = adapterLoads(work, catalogue, "round-robin", questions, options);
        System.out.printf(Locale.ROOT, "adapter_loads_round_robin_vs_affinity: %.2f%n", (double) roundRobin / Math.max(1, affinity));
        System.exit(0);
    }

    /**
     * Median questions per second with one solver node and with two, over rounds that alternate them (the second
     * node joins, is measured, and leaves), so that the load of a shared machine weighs on both alike.
     */
    private static double[] throughput(Path work, List<String> questions, Options options) throws Exception {
        int frontPort = freePort();
        int concurrency = options.concurrency;
        List<String> warmUp = questions.subList(0, Math.min(8, questions.size()));
        double[] one = new double[options.rounds];
        double[] two = new double[options.rounds];
        try (Synod front = Synod.start(frontConfig(work, frontPort, "affinity"));
             Synod first = Synod.start(solverConfig(frontPort, "", 4))) {
            await(() -> reachable(front) == 1, "the front to reach the first solver node");
            ask(front, warmUp, concurrency);
            for (int round = 0; round < options.rounds; round++) {
                one[round] = ask(front, questions, concurrency);
                try (Synod second = Synod.start(solverConfig(frontPort, "", 4))) {
                    await(() -> reachable(front) == 2, "the front to reach the second solver node");
                    ask(front, warmUp, concurrency);
                    two[round] = ask(front, questions, concurrency);
                }
                await(() -> reachable(front) == 1, "the second solver node to leave");
                System.out.printf(Locale.ROOT, "round %d: one node %.2f, two nodes %.2f questions/s%n", round + 1,
                        one[round], two[round]);
            }
        }
        return new double[] {median(one), median(two)};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    /** Asks every question through the front, {@code concurrency} at a time; questions per second. */
    private static double ask(Synod front, List<String> questions, int concurrency) throws Exception {
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicInteger failed = new AtomicInteger();
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        long start = System.nanoTime();
        for (String question : questions) {
            inFlight.acquire();
            CompletableFuture<Answer> answer = front.ask(question).toCompletableFuture();
            answer.whenComplete((result, failure) -> {
                if (failure != null) {
                    failed.incrementAndGet();
                }
                inFlight.release();
            });
            answers.add(answer);
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).exceptionally(failure -> null).join();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failed.get() > 0) {
            System.out.println("  (" + failed.get() + " of " + questions.size() + " questions failed)");
        }
        return questions.size() / seconds;
    }

    /**
     * Two solver nodes with the 8-adapter catalogue, and a front pool routing jobs that each name one of the
     * adapters as their walk expert; the adapters the solvers loaded on demand.
     */
    private static long adapterLoads(Path work, Path catalogue, String routing, List<String> questions, Options options)
            throws Exception {
        int frontPort = freePort();
        Config frontConfig = frontConfig(work, frontPort, routing);
        SynodSettings settings = SynodSettings.from(frontConfig);
        RuntimeStatus status = new RuntimeStatus(1);
        ActorSystem<SolverPool.Command> pool = ActorSystem.create(SolverPool.create(settings, graph -> {
            throw new IllegalStateException("a front runs no solver");
        }, status), "synod", settings.cluster().pekkoConfig().withFallback(frontConfig));
        Map<String, CompletableFuture<SolverActor.Reply>> pending = new ConcurrentHashMap<>();
        ActorRef<SolverActor.Reply> replies = pool.systemActorOf(collector(pending), "bench-replies", Props.empty());
        try (Synod first = Synod.start(solverConfig(frontPort, catalogue.toString(), options.onDemand));
             Synod second = Synod.start(solverConfig(frontPort, catalogue.toString(), options.onDemand))) {
            await(() -> status.readiness().solversReady() == 2, "the front pool to reach both solver nodes");
            Random random = new Random(42);
            List<Integer> adapters = new ArrayList<>();
            for (int i = 0; i < options.jobs; i++) {
                adapters.add(i % ADAPTERS + 1);
            }
            Collections.shuffle(adapters, random);
            Semaphore inFlight = new Semaphore(options.concurrency);
            AtomicInteger failed = new AtomicInteger();
            CompletableFuture<String> firstFailure = new CompletableFuture<>();
            long start = System.nanoTime();
            for (int i = 0; i < options.jobs; i++) {
                inFlight.acquire();
                String sessionId = routing + "-" + i;
                CompletableFuture<SolverActor.Reply> done = new CompletableFuture<>();
                pending.put(sessionId, done);
                done.whenComplete((reply, failure) -> {
                    if (reply instanceof SolverActor.SolveFailed refused) {
                        failed.incrementAndGet();
                        firstFailure.complete(refused.message());
                    }
                    inFlight.release();
                });
                Reasoner.Experts experts = new Reasoner.Experts("decompose", "walk-" + adapters.get(i), "direct", "compose", false);
                pool.tell(new SolverPool.Solve(new Job(sessionId, questions.get(i % questions.size()), AskOptions.defaults(),
                        experts, Instant.now().plusSeconds(120), 1), replies));
            }
            CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - start) / 1e9;
            long loads = loads(first) + loads(second);
            System.out.printf(Locale.ROOT, "%-12s %4d adapter loads (%d + %d per node), %.1f s, %.2f jobs/s%s%n", routing + ":",
                    loads, loads(first), loads(second), seconds, options.jobs / seconds,
                    failed.get() == 0 ? "" : ", " + failed.get() + " jobs failed, the first: " + firstFailure.getNow(""));
            return loads;
        } finally {
            pool.terminate();
            pool.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    private static Behavior<SolverActor.Reply> collector(Map<String, CompletableFuture<SolverActor.Reply>> pending) {
        return Behaviors.receive(SolverActor.Reply.class)
                .onMessage(SolverActor.Reply.class, reply -> {
                    if (reply instanceof SolverActor.Solved || reply instanceof SolverActor.SolveFailed) {
                        CompletableFuture<SolverActor.Reply> done = pending.get(reply.sessionId());
                        if (done != null) {
                            done.complete(reply);
                        }
                    }
                    return Behaviors.same();
                })
                .build();
    }

    /**
     * A catalogue of 8 adapters: the default model's walk expert (its weights and configuration; its card names it
     * walk, so it stays behind) copied as walk-1 to walk-8.
     */
    private static Path catalogue(Path work) throws IOException {
        Path walk = DefaultModel.directory().resolve("adapters").resolve("walk");
        Path catalogue = Files.createDirectories(work.resolve("catalogue"));
        for (int i = 1; i <= ADAPTERS; i++) {
            Path copy = Files.createDirectories(catalogue.resolve("walk-" + i));
            try (Stream<Path> files = Files.list(walk)) {
                for (Path file : files.filter(file -> file.getFileName().toString().startsWith("adapter_")).toList()) {
                    Files.copy(file, copy.resolve(file.getFileName()));
                }
            }
        }
        return catalogue;
    }

    private static Config frontConfig(Path work, int port, String routing) throws IOException {
        Path graph = work.resolve("front.tsv");
        Files.writeString(graph, "Ghana\tcapital\tAccra\n");
        return ConfigFactory.parseString("""
                synod.graph.source = "%s"
                synod.sessions.max-in-flight = 64
                synod.solver.queue-size = 64
                synod.cluster { enabled = on, role = front, port = %d, seed-nodes = ["127.0.0.1:%d"], routing = %s }
                """.formatted(graph, port, port, routing)).withFallback(ConfigFactory.load()).resolve();
    }

    private static Config solverConfig(int frontPort, String catalogue, int onDemand) throws IOException {
        return ConfigFactory.parseString("""
                synod.adapters.directory = "%s"
                synod.solver.on-demand-adapters = %d
                synod.cluster { enabled = on, role = solver, port = %d, seed-nodes = ["127.0.0.1:%d"] }
                """.formatted(catalogue, onDemand, freePort(), frontPort));
    }

    private static int reachable(Synod front) {
        return front.cluster().map(ClusterStatus::reachableSolvers).orElse(0);
    }

    private static long loads(Synod solver) {
        return solver.cluster().map(ClusterStatus::adapterLoads).orElse(0L);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("waited 3 minutes for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Every k-th question of the test split, {@code count} in all (its families come in runs). */
    private static List<String> questions(int count) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> all = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                ClusterBenchmark.class.getResourceAsStream(TEST_SPLIT), StandardCharsets.UTF_8))) {
            reader.lines().filter(line -> !line.isBlank()).forEach(line -> {
                try {
                    all.add(json.readTree(line).get("question").asText());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        int stride = Math.max(1, all.size() / count);
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < all.size() && chosen.size() < count; i += stride) {
            chosen.add(all.get(i));
        }
        return chosen;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
