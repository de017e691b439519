// `bench/run orchestration`: what the orchestration itself costs, with a model that answers at once: questions
// per second and latency through Synod's embedded API and through its HTTP API on loopback, beside the same
// three-step workflow on LangChain4j's agentic module. The last line is `throughput_vs_langchain4j: <ratio>`
// (the embedded API against LangChain4j, both in process).
package io.synod.bench.orchestration;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.synod.actors.Synod;
import io.synod.bench.BenchCommand;
import io.synod.bench.Latencies;
import io.synod.bench.WorkDirectory;
import io.synod.decomposer.reasoning.Answer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

public final class OrchestrationBenchmark {

    @Command(name = "bench/run orchestration", sortOptions = false,
            description = "The orchestration's cost with a model that answers at once: Synod's embedded and HTTP APIs"
                    + " against LangChain4j's agentic module. The last line is throughput_vs_langchain4j: <ratio>.")
    static final class Options implements Callable<Integer> {
        @Option(names = "--seconds", defaultValue = "5", paramLabel = "S",
                description = "length of each measured run (default ${DEFAULT-VALUE})")
        double seconds;

        @Option(names = "--warmup", defaultValue = "30", paramLabel = "W",
                description = "seconds each row runs before the measured runs, so that the JIT has compiled each"
                        + " (default ${DEFAULT-VALUE}: Synod's actors take longer than 15 s to reach their speed here)")
        double warmup;

        @Option(names = "--runs", defaultValue = "5", paramLabel = "N",
                description = "measured runs per engine, alternating engines; medians are reported (default ${DEFAULT-VALUE})")
        int runs;

        @Option(names = "--clients", defaultValue = "8", paramLabel = "C",
                description = "questions in flight at once, on every row (default ${DEFAULT-VALUE})")
        int clients;

        @Option(names = "--real", defaultValue = "0", paramLabel = "N",
                description = "also ask N questions of the test split on the embedded default model, one at a time,"
                        + " and report their end-to-end p50 (default ${DEFAULT-VALUE}: skip)")
        int real;

        @Mixin
        BenchCommand.Help help;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (seconds <= 0 || warmup < 0 || runs < 1 || clients < 1 || real < 0) {
                throw new ParameterException(spec.commandLine(), "--seconds must be positive, --warmup at least 0,"
                        + " --runs and --clients at least 1, --real at least 0");
            }
            WorkDirectory.use(null, "synod-bench-orchestration", root -> {
                run(this, root);
                return true;
            });
            return 0;
        }
    }

    /**
     * One measured run: questions answered per second, each question's latency, and the process's CPU time per
     * question (every thread of the JVM: a figure that the machine's other load changes far less than the rate).
     */
    record Run(double perSecond, Latencies latencies, double cpuMicros) {
    }

    private static final com.sun.management.OperatingSystemMXBean SYSTEM =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private OrchestrationBenchmark() {
    }

    public static void main(String[] args) {
        BenchCommand.execute(new Options(), args);
    }

    private static void run(Options options, Path root) throws IOException {
        Path graph = root.resolve("graph.tsv");
        Files.writeString(graph, "Togo\tcapital\tLomé\nTogo\tcurrency\tWest African CFA franc\n");
        // Four solvers: with a model that answers at once the solvers are never what limits (four on two cores
        // already outnumber the cores), as LangChain4j's client threads, which run the model themselves, never
        // are. The queues admit every client, so that nothing is refused. Each solver may hold two questions
        // (synod.solver.prefetch = 2, the setting for questions that take microseconds); a second Synod with
        // the default (1) is measured beside it. See docs/actors.md, "What the orchestration costs".
        Config defaults = ConfigFactory.parseString(String.format(Locale.ROOT, """
                synod.graph.source = "%s"
                synod.solver.pool-size = 4
                synod.experts.mode = base
                synod.solver.queue-size = %d
                synod.sessions.max-in-flight = %d
                synod.http.host = "127.0.0.1"
                synod.http.port = 0
                """, graph.toString().replace("\\", "\\\\"), options.clients * 4, options.clients * 4));
        Config config = ConfigFactory.parseString("synod.solver.prefetch = 2").withFallback(defaults);
        LangChain4jWorkflow peer = new LangChain4jWorkflow();
        List<Run> synodRuns = new ArrayList<>();
        List<Run> defaultRuns = new ArrayList<>();
        List<Run> peerRuns = new ArrayList<>();
        List<Run> httpRuns = new ArrayList<>();
        Latencies synodAlone;
        Latencies defaultAlone;
        Latencies peerAlone;
        Latencies httpAlone;
        try (Synod synod = Synod.start(config, new InstantSolvers());
             Synod synodDefaults = Synod.start(defaults, new InstantSolvers());
             HttpAnswers http = new HttpAnswers(synod, config)) {
            synod.whenReady().toCompletableFuture().join();
            synodDefaults.whenReady().toCompletableFuture().join();
            Function<String, CompletableFuture<?>> askSynod = question -> synod.ask(question).toCompletableFuture();
            Function<String, CompletableFuture<?>> askDefaults = question -> synodDefaults.ask(question).toCompletableFuture();
            Function<String, CompletableFuture<?>> askHttp = http::ask;
            System.err.printf(Locale.ROOT, "warming up each engine for %.0f s...%n", options.warmup);
            closedLoop(askSynod, options.clients, options.warmup);
            closedLoop(askDefaults, options.clients, options.warmup);
            threads(peer, options.clients, options.warmup);
            closedLoop(askHttp, options.clients, options.warmup);
            for (int run = 0; run < options.runs; run++) {
                synodRuns.add(closedLoop(askSynod, options.clients, options.seconds));
                defaultRuns.add(closedLoop(askDefaults, options.clients, options.seconds));
                peerRuns.add(threads(peer, options.clients, options.seconds));
                httpRuns.add(closedLoop(askHttp, options.clients, options.seconds));
                System.err.printf(Locale.ROOT, "run %d: synod %.0f q/s (%.1f CPU us/q), synod prefetch 1 %.0f q/s"
                                + " (%.1f CPU us/q), langchain4j %.0f q/s (%.1f CPU us/q), synod http %.0f q/s"
                                + " (%.1f CPU us/q)%n", run + 1,
                        synodRuns.get(run).perSecond(), synodRuns.get(run).cpuMicros(),
                        defaultRuns.get(run).perSecond(), defaultRuns.get(run).cpuMicros(), peerRuns.get(run).perSecond(),
                        peerRuns.get(run).cpuMicros(), httpRuns.get(run).perSecond(), httpRuns.get(run).cpuMicros());
            }
            // one question at a time: the latency the orchestration adds to each question
            synodAlone = closedLoop(askSynod, 1, options.seconds).latencies();
            defaultAlone = closedLoop(askDefaults, 1, options.seconds).latencies();
            peerAlone = threads(peer, 1, options.seconds).latencies();
            httpAlone = closedLoop(askHttp, 1, options.seconds).latencies();
            Answer answer = synod.ask("Which currency is used in Togo?").toCompletableFuture().join();
            System.err.println("a sample answer: " + answer.text() + " after " + answer.trace().size() + " trace events");
        }
        double synodRate = median(synodRuns);
        double peerRate = median(peerRuns);
        System.out.println("| engine | clients | questions/s (median of " + options.runs + ") | CPU us/question"
                + " | p50 ms | p99 ms | alone p50 ms | alone p99 ms |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        row("synod embedded (actors, prefetch 2)", options.clients, synodRate, synodRuns, synodAlone);
        row("synod embedded (actors, default prefetch 1)", options.clients, median(defaultRuns), defaultRuns,
                defaultAlone);
        row("synod http (loopback, java.net.http)", options.clients, median(httpRuns), httpRuns, httpAlone);
        row("langchain4j-agentic 1.19.0-beta29", options.clients, peerRate, peerRuns, peerAlone);
        if (options.real > 0) {
            RealQuestions.report(options.real);
        }
        System.out.printf(Locale.ROOT, "throughput_vs_langchain4j: %.3f%n", synodRate / peerRate);
    }

    /** A row: the median rate, the latency percentiles over every measured run, and those of one at a time. */
    private static void row(String engine, int clients, double rate, List<Run> runs, Latencies alone) {
        Latencies all = merge(runs.stream().map(Run::latencies).toArray(Latencies[]::new));
        double cpu = Latencies.median(runs.stream().mapToDouble(Run::cpuMicros).toArray());
        System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.1f | %.3f | %.3f | %.3f | %.3f |%n", engine, clients, rate,
                cpu, all.percentileMicros(0.5) / 1000, all.percentileMicros(0.99) / 1000,
                alone.percentileMicros(0.5) / 1000, alone.percentileMicros(0.99) / 1000);
    }

    private static double median(List<Run> runs) {
        double[] rates = runs.stream().mapToDouble(Run::perSecond).toArray();
        return Latencies.median(rates);
    }

    /**
     * {@code clients} questions in flight, each next one asked when one is answered (no thread waits), for
     * {@code seconds}.
     */
    static Run closedLoop(Function<String, CompletableFuture<?>> ask, int clients, double seconds) {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong answered = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Latencies[] latencies = new Latencies[clients];
        CountDownLatch done = new CountDownLatch(clients);
        long cpuStart = SYSTEM.getProcessCpuTime();
        long start = System.nanoTime();
        for (int client = 0; client < clients; client++) {
            latencies[client] = new Latencies();
            next(ask, client, 0, latencies[client], running, answered, failed, done);
        }
        sleep(seconds);
        running.set(false);
        long elapsed = System.nanoTime() - start;
        try {
            if (!done.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("questions still unanswered 30 s after the run");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        long cpu = SYSTEM.getProcessCpuTime() - cpuStart;
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " questions failed during the run");
        }
        return new Run(answered.get() / (elapsed / 1e9), merge(latencies), cpu / 1e3 / answered.get());
    }

    private static void next(Function<String, CompletableFuture<?>> ask, int client, long sequence, Latencies latencies,
                             AtomicBoolean running, AtomicLong answered, AtomicLong failed, CountDownLatch done) {
        if (!running.get()) {
            done.countDown();
            return;
        }
        long started = System.nanoTime();
        ask.apply("Which currency is used in country " + client + "-" + sequence + "?").whenComplete((answer, error) -> {
            latencies.add(System.nanoTime() - started);
            if (error == null) {
                answered.incrementAndGet();
            } else if (failed.incrementAndGet() == 1) {
                System.err.println("first failure: " + error);
            }
            next(ask, client, sequence + 1, latencies, running, answered, failed, done);
        });
    }

    /** {@code clients} threads, each asking the blocking peer one question after another, for {@code seconds}. */
    static Run threads(LangChain4jWorkflow peer, int clients, double seconds) {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong answered = new AtomicLong();
        Latencies[] latencies = new Latencies[clients];
        List<Thread> threads = new ArrayList<>();
        long cpuStart = SYSTEM.getProcessCpuTime();
        long start = System.nanoTime();
        for (int client = 0; client < clients; client++) {
            Latencies own = latencies[client] = new Latencies();
            int id = client;
            Thread thread = new Thread(() -> {
                for (long sequence = 0; running.get(); sequence++) {
                    long started = System.nanoTime();
                    peer.ask("Which currency is used in country " + id + "-" + sequence + "?");
                    own.add(System.nanoTime() - started);
                    answered.incrementAndGet();
                }
            }, "langchain4j-client-" + client);
            thread.start();
            threads.add(thread);
        }
        sleep(seconds);
        running.set(false);
        long elapsed = System.nanoTime() - start;
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        long cpu = SYSTEM.getProcessCpuTime() - cpuStart;
        return new Run(answered.get() / (elapsed / 1e9), merge(latencies), cpu / 1e3 / answered.get());
    }

    private static Latencies merge(Latencies[] parts) {
        Latencies all = new Latencies();
        for (Latencies part : parts) {
            all.addAll(part);
        }
        return all;
    }

    private static void sleep(double seconds) {
        try {
            Thread.sleep((long) (seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
