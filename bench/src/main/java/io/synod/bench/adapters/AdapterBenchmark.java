// LoRA serving figures on the 76M benchmark model: adapter switch, cold load, unmerged and merged decode,
// mixed-adapter batches against one adapter at a time, and throughput with 64 adapters resident against 4.
package io.synod.bench.adapters;

import io.synod.bench.BenchCommand;
import io.synod.bench.WorkDirectory;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.synod.adapters.lora.BaseModelShape;
import io.synod.adapters.lora.LoraAdapter;
import io.synod.adapters.store.AdapterStore;
import io.synod.bench.Latencies;
import io.synod.bench.runtime.BenchmarkCheckpoint;
import io.synod.solvers.lora.AdapterMix;
import io.synod.solvers.lora.LoraBatch;
import io.synod.solvers.lora.Projection;
import io.synod.solvers.lora.ResidentAdapter;
import io.synod.solvers.model.GenerationOptions;
import io.synod.solvers.model.GenerationResult;
import io.synod.solvers.model.LanguageModel;
import io.synod.solvers.model.ModelConfig;
import io.synod.solvers.model.RuntimeOptions;
import io.synod.solvers.model.TokenListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code synod-bench adapters [--rank 16] [--prompt-tokens 64] [--new-tokens 32] [--threads N] [--runs 5]
 * [--warmup-seconds 5] [--loads 40] [--switch-calls 40] [--switch-trials 9] [--resident-requests 64]
 * [--sections LIST] [--checkpoints DIR]}.
 *
 * <p>Writes the 76M benchmark checkpoint ({@link BenchmarkCheckpoint#LLAMA_76M}) and 64 random adapters of
 * one rank on q, k, v and o ({@link RandomAdapters}) as PEFT directories into a temporary directory (or
 * {@code --checkpoints}, which is kept), reads the adapters back with {@link LoraAdapter#read}, and measures,
 * on the CPU, f32, greedy with end-of-sequence ignored, every prompt exactly {@code prompt-tokens} tokens
 * (BOS included) and every request exactly {@code new-tokens} new tokens:
 * <ol>
 *   <li>switch: what naming adapter Y right after adapter X costs more than naming X again, with calls
 *       named X X Y Y X X ...: end to end, the median single-token call (a one-token prompt, one new token:
 *       one forward pass) after a change of adapter minus the median one after none, which the machine's
 *       noise does not resolve to 0.1 ms; and, directly, the per-request work that naming an adapter adds:
 *       building the request's {@link AdapterMix} and {@link LoraBatch}, and, on one-token inputs,
 *       {@link LoraBatch#of} plus the first pass of {@link LoraBatch#apply} over every layer and projection
 *       minus the second pass (building the batch and gathering its factors on first use: the goal's
 *       figure); and the first pass after a change minus after none, with the caches warm;
 *   <li>cold load: {@link LoraAdapter#read} plus {@link LanguageModel#materialise} (which validates),
 *       alternating with misses of an {@link AdapterStore} whose budget holds 4 (which also evict), cycling
 *       over the 64 adapter directories, whose files are in the page cache (they were just written); and
 *       the very first load in the JVM, before the JIT has compiled any of it;
 *   <li>decode tokens/s of one prompt: bare base, one unmerged adapter, the adapter merged, in interleaved
 *       rounds, with the slowdown taken per round;
 *   <li>16 requests over 8 adapters (2 each): one {@code generate} call of 16 prompts with 16 mixes against
 *       8 calls of 2 prompts, each call applying one adapter; total wall time, with the prefill time and
 *       decode tokens/s the calls report, in interleaved rounds; the bare base and all-one-adapter batches of
 *       16 beside them for reference; and what the batch's updates cost per decode step, mixed (gathered)
 *       against all one adapter (shared), on 16 one-token rows;
 *   <li>a request stream served in batches of 16 through an {@link AdapterStore} (lease per request, mixed
 *       batch, release): 64 adapters resident and the stream cycling over all 64, against 4 resident and
 *       the stream cycling over those 4; no miss in either (the stores are filled first, and checked).
 * </ol>
 * Figures are medians over the runs (with their range), after warm-up. Progress goes to stderr, the table to
 * stdout; its last line is {@code mixed_batch_speedup: <ratio>}, the median time of the 8 one-adapter calls
 * over the median time of the mixed call.
 */
public final class AdapterBenchmark {
    private static final List<String> SECTIONS = List.of("switch", "load", "decode", "mixed", "resident");
    private static final BenchmarkCheckpoint MODEL = BenchmarkCheckpoint.LLAMA_76M;
    private static final long WEIGHT_SEED = 42;
    private static final int ADAPTERS = 64;
    private static final int FEW_RESIDENT = 4;
    private static final int CONCURRENT_REQUESTS = 16;
    private static final int MIXED_ADAPTERS = 8;
    /** Fresh batches per block of the LoraBatch switch figure (half after a change of adapter, half not). */
    private static final int SWITCH_BLOCK = 20;
    /** Floats written to push the adapters' factors out of the caches (64 MiB, beyond any last-level cache). */
    private static final int FLUSH_FLOATS = 16 << 20;
    private static final String PROMPT_TEXT = "The quick brown fox jumps over the lazy dog while five boxing wizards "
            + "jump quickly and a sphinx of black quartz judges my vow. ";

    @Command(name = "bench/run adapters", sortOptions = false, abbreviateSynopsis = true,
            description = "LoRA serving figures on the 76M benchmark model: adapter switch, cold load, unmerged and merged"
                    + " decode, mixed-adapter batches, and 64 adapters resident against 4. The last line is"
                    + " mixed_batch_speedup: <ratio>.")
    private static final class Options implements Callable<Integer> {
        @Option(names = "--rank", defaultValue = "16", paramLabel = "R", converter = BenchCommand.Positive.class,
                description = "rank of the random adapters on q, k, v, o (${DEFAULT-VALUE})")
        int rank;

        @Option(names = "--prompt-tokens", defaultValue = "64", paramLabel = "N", converter = BenchCommand.Positive.class,
                description = "tokens per prompt, BOS included, at least 2 (${DEFAULT-VALUE})")
        int promptTokens;

        @Option(names = "--new-tokens", defaultValue = "32", paramLabel = "M", converter = BenchCommand.Positive.class,
                description = "greedy tokens generated per request, EOS ignored, at least 2 (${DEFAULT-VALUE})")
        int newTokens;

        @Option(names = "--threads", paramLabel = "T", converter = BenchCommand.Positive.class,
                description = "PyTorch threads (all processors)")
        int threads = Runtime.getRuntime().availableProcessors();

        @Option(names = "--runs", defaultValue = "5", paramLabel = "R", converter = BenchCommand.Positive.class,
                description = "timed rounds of the decode, mixed-batch and resident figures (${DEFAULT-VALUE})")
        int runs;

        @Option(names = "--warmup-seconds", defaultValue = "5", paramLabel = "S",
                description = "shortest warm-up before each section, in seconds (${DEFAULT-VALUE})")
        double warmupSeconds;

        @Option(names = "--loads", defaultValue = "40", paramLabel = "L", converter = BenchCommand.Positive.class,
                description = "timed cold loads (${DEFAULT-VALUE})")
        int loads;

        @Option(names = "--switch-calls", defaultValue = "40", paramLabel = "C", converter = BenchCommand.Positive.class,
                description = "single-token calls per trial of the switch figure, even (${DEFAULT-VALUE})")
        int switchCalls;

        @Option(names = "--switch-trials", defaultValue = "9", paramLabel = "K", converter = BenchCommand.Positive.class,
                description = "trials of the switch figure (${DEFAULT-VALUE})")
        int switchTrials;

        @Option(names = "--resident-requests", defaultValue = "64", paramLabel = "Q", converter = BenchCommand.Positive.class,
                description = "requests per run of the resident figure, a multiple of " + CONCURRENT_REQUESTS
                        + " (${DEFAULT-VALUE})")
        int residentRequests;

        @Option(names = "--sections", defaultValue = "switch,load,decode,mixed,resident", split = ",", paramLabel = "LIST",
                description = "which of switch,load,decode,mixed,resident to run (all)")
        List<String> sections;

        @Option(names = "--checkpoints", paramLabel = "DIR",
                description = "write the checkpoint and adapters here and keep them (a temporary directory)")
        Path checkpoints;

        @Mixin
        BenchCommand.Help help;

        @Spec
        CommandSpec spec;

        /** Runs the benchmark; 1 when the ratio could not be measured. */
        @Override
        public Integer call() throws Exception {
            validate();
            boolean ratioPrinted = WorkDirectory.use(checkpoints, "synod-bench-adapters", root -> run(this, root));
            return ratioPrinted ? 0 : 1;
        }

        private void validate() {
            if (promptTokens < 2 || newTokens < 2) {
                throw new ParameterException(spec.commandLine(), "--prompt-tokens and --new-tokens must be at least 2");
            }
            if (switchCalls % 2 != 0) {
                throw new ParameterException(spec.commandLine(), "--switch-calls must be even, got " + switchCalls);
            }
            if (residentRequests % CONCURRENT_REQUESTS != 0) {
                throw new ParameterException(spec.commandLine(), "--resident-requests must be a multiple of "
                        + CONCURRENT_REQUESTS + ", got " + residentRequests);
            }
            for (String section : sections) {
                if (!SECTIONS.contains(section)) {
                    throw new ParameterException(spec.commandLine(), "--sections: unknown section '" + section
                            + "'; expected some of " + SECTIONS);
                }
            }
        }

        boolean runs(String section) {
            return sections.contains(section);
        }
    }

    /** A measured quantity: the median of its samples and their range. */
    private record Sample(double median, double low, double high, int count) {
        static Sample of(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            return new Sample(Latencies.median(values), sorted[0], sorted[sorted.length - 1], sorted.length);
        }

        static Sample of(List<Double> values) {
            return of(values.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    /** One line of the table: a figure, its range, and the goal it is held against ("" for none). */
    private record Line(String section, String what, String figure, String range, String goal, String verdict) {
    }

    private final Options options;
    private final LanguageModel model;
    /** Owns the arrays the benchmark makes itself (batches and inputs of the gather figures). */
    private final NDManager scratch;
    private final Path catalogue;
    private final List<String> names;
    private final List<Line> lines = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private Double mixedBatchSpeedup;
    /** The first read and materialise of an adapter in this JVM, before any warm-up. */
    private double firstLoadMillis;

    private AdapterBenchmark(Options options, LanguageModel model, NDManager scratch, Path catalogue,
                             List<String> names) {
        this.options = options;
        this.model = model;
        this.scratch = scratch;
        this.catalogue = catalogue;
        this.names = names;
    }

    public static void main(String[] args) {
        BenchCommand.execute(new Options(), args);
    }

    private static boolean run(Options options, Path root) throws IOException {
        Path base = root.resolve(MODEL.name());
        long start = System.nanoTime();
        MODEL.write(base, WEIGHT_SEED);
        System.err.printf(Locale.ROOT, "wrote %s in %.1f s: %s%n", base, seconds(start), MODEL);

        Path catalogue = Files.createDirectories(root.resolve("adapters"));
        List<String> names = new ArrayList<>();
        start = System.nanoTime();
        for (int index = 0; index < ADAPTERS; index++) {
            String name = String.format(Locale.ROOT, "adapter-%02d", index);
            RandomAdapters.write(catalogue, name, MODEL, options.rank, 1000 + index);
            names.add(name);
        }
        System.err.printf(Locale.ROOT, "wrote %d adapters (rank %d on %s) into %s in %.1f s%n", ADAPTERS,
                options.rank, String.join(",", RandomAdapters.TARGETS), catalogue, seconds(start));

        RuntimeOptions runtime = RuntimeOptions.defaults()
                .withDevice(RuntimeOptions.DevicePreference.CPU)
                .withThreads(options.threads)
                .withContextLength(options.promptTokens + options.newTokens);
        try (LanguageModel model = LanguageModel.load(base, runtime);
             NDManager scratch = Engine.getEngine("PyTorch").newBaseManager(model.device())) {
            AdapterBenchmark benchmark = new AdapterBenchmark(options, model, scratch, catalogue, names);
            benchmark.printHeader();
            if (options.runs("switch")) {
                benchmark.measureSwitch();
            }
            if (options.runs("load")) {
                benchmark.measureColdLoad();
            }
            if (options.runs("decode")) {
                benchmark.measureDecode();
            }
            if (options.runs("mixed")) {
                benchmark.measureMixedBatch();
            }
            if (options.runs("resident")) {
                benchmark.measureResident();
            }
            return benchmark.print();
        }
    }

    /** Prints what is measured; reading and materialising the adapter it describes is the JVM's first load, timed. */
    private void printHeader() {
        long start = System.nanoTime();
        LoraAdapter sample = read(names.get(0));
        try (ResidentAdapter resident = model.materialise(sample, options.rank)) {
            firstLoadMillis = (System.nanoTime() - start) / 1e6;
            System.out.printf(Locale.ROOT, "adapters benchmark: java %s, %d processors, %d threads, CPU, f32; model %s%n",
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), options.threads,
                    MODEL);
            System.out.printf(Locale.ROOT, "adapters: %d random, rank %d on %s of every layer, alpha %d; %,d bytes "
                            + "each as files' floats (LoraAdapter.byteSize), %,d bytes each resident "
                            + "(ResidentAdapter.bytes)%n", ADAPTERS, options.rank,
                    String.join(", ", RandomAdapters.TARGETS), 2 * options.rank, sample.byteSize(), resident.bytes());
        }
        System.out.printf(Locale.ROOT, "requests: prompt %d tokens (BOS included), %d new tokens, greedy, EOS ignored; "
                        + "medians of %d runs after at least %.0f s of warm-up per section%n",
                options.promptTokens, options.newTokens, options.runs, options.warmupSeconds);
    }

    // ---- 1. Switch -------------------------------------------------------------------------------------

    /*
     * Requests name their adapters; nothing is switched in the model. So the cost of switching is what naming
     * Y right after X costs more than naming X again. Calls run in the pattern X X Y Y X X ..., so that every
     * even call names a different adapter from the call before it (a switch) and every odd call the same one
     * (a repeat), both interleaved at the finest grain the machine's noise allows.
     */
    private void measureSwitch() {
        System.err.println("switch: single-token calls, X X Y Y ...");
        try (ResidentAdapter x = model.materialise(read(names.get(0)), options.rank);
             ResidentAdapter y = model.materialise(read(names.get(1)), options.rank)) {
            List<int[]> prompt = List.<int[]>of(new int[] {BenchmarkCheckpoint.BOS_TOKEN});
            GenerationOptions oneToken = GenerationOptions.greedy(1).withStopAtEos(false);
            long warmupStart = System.nanoTime();
            for (int call = 0; call < 2 * options.switchCalls || seconds(warmupStart) < options.warmupSeconds; call++) {
                model.generateTokens(prompt, List.of(AdapterMix.of(call / 2 % 2 == 0 ? x : y)), oneToken,
                        TokenListener.NONE);
            }
            List<Double> repeats = new ArrayList<>();
            List<Double> switches = new ArrayList<>();
            List<Double> differences = new ArrayList<>();
            for (int trial = 0; trial < options.switchTrials; trial++) {
                double[] repeat = new double[options.switchCalls / 2];
                double[] change = new double[options.switchCalls / 2];
                for (int call = 0; call < 2 * repeat.length; call++) {
                    ResidentAdapter named = call / 2 % 2 == 0 ? x : y;
                    long start = System.nanoTime();
                    model.generateTokens(prompt, List.of(AdapterMix.of(named)), oneToken, TokenListener.NONE);
                    (call % 2 == 0 ? change : repeat)[call / 2] = (System.nanoTime() - start) / 1e6;
                }
                double repeatMedian = Latencies.median(repeat);
                double switchMedian = Latencies.median(change);
                repeats.add(repeatMedian);
                switches.add(switchMedian);
                differences.add(switchMedian - repeatMedian);
                System.err.printf(Locale.ROOT, "switch trial=%d repeat_ms=%.3f switch_ms=%.3f%n", trial + 1,
                        repeatMedian, switchMedian);
            }
            Sample repeat = Sample.of(repeats);
            Sample change = Sample.of(switches);
            Sample difference = Sample.of(differences);
            addMillis("1 switch", "single-token call naming the previous call's adapter", repeat, "");
            addMillis("1 switch", "single-token call naming the other adapter (X after Y, Y after X)", change, "");
            lines.add(new Line("1 switch", "  other - same, end to end (per trial)", millis(difference.median()),
                    range(difference, "ms"), "", difference.high() - difference.low() > 0.2
                    ? "unresolved at this noise" : ""));

            Sample setup = setupMicros(x, y);
            lines.add(new Line("1 switch", "AdapterMix.of + LoraBatch.of for one request", micros(setup.median()),
                    range(setup, "us"), "", ""));
            BatchPasses passes = batchPasses(List.of(AdapterMix.of(x)), List.of(AdapterMix.of(y)), 400);
            addMillis("1 switch", "LoraBatch.of + first apply over every layer and projection, 1 row", passes.first(),
                    "");
            addMillis("1 switch", "  second apply over the same batch (factors already gathered)", passes.second(), "");
            lines.add(new Line("1 switch", "  first - second: building the batch and gathering its factors",
                    millis(passes.gathering().median()), range(passes.gathering(), "ms"), "<= 0.1 ms",
                    verdict(passes.gathering().median() <= 0.1)));
            addMillis("1 switch", "  first after the other adapter - after the same (per block, warm caches)",
                    passes.switchCost(), "");
            BatchPasses flushed = batchPasses(List.of(AdapterMix.of(x)), List.of(AdapterMix.of(y)), 200, true);
            addMillis("1 switch", "  the same with the caches flushed before each batch, as a forward pass does",
                    flushed.switchCost(), "");
            notes.add(String.format(Locale.ROOT, "switch: single-token calls are a 1-token prompt and 1 new token, one "
                            + "forward pass; %d trials of %d calls named X X Y Y ...; a trial's figures are the medians "
                            + "of its %d calls after the other adapter and %d after the same. The LoraBatch lines: %d "
                            + "fresh one-row batches (a request's batch) named X X Y Y ..., each applied twice over every "
                            + "layer and projection on one-token inputs; the last two lines' figure per block of %d "
                            + "batches is the median first pass after the other adapter minus that after the same: what "
                            + "factors left in the caches by the previous request save, which a forward pass between "
                            + "requests (over 300 MB of weights) does not leave; the flushed line writes %d MB before "
                            + "each batch", 
                    options.switchTrials, options.switchCalls, options.switchCalls / 2, options.switchCalls / 2,
                    passes.first().count(), SWITCH_BLOCK, FLUSH_FLOATS * 4 / (1 << 20)));
        }
    }

    /** Microseconds to build a request's mix and batch, naming X and Y in turn: medians of 20 runs of 10,000. */
    private Sample setupMicros(ResidentAdapter x, ResidentAdapter y) {
        int perRun = 10_000;
        double[] runs = new double[20];
        int rows = 0;
        for (int run = -5; run < runs.length; run++) {
            long start = System.nanoTime();
            for (int i = 0; i < perRun; i++) {
                LoraBatch batch = LoraBatch.of(List.of(AdapterMix.of(i % 2 == 0 ? x : y)), scratch);
                rows += batch.rows().size();
            }
            if (run >= 0) {
                runs[run] = (System.nanoTime() - start) / 1e3 / perRun;
            }
        }
        if (rows == 0) {
            throw new IllegalStateException("no batch was built");
        }
        return Sample.of(runs);
    }

    /**
     * Two passes of a fresh batch's updates over every layer and projection, in ms: the first builds the batch
     * ({@link LoraBatch#of}), gathers the factors and computes, the second only computes; {@code gathering} is
     * the first minus the second, per batch; {@code switchCost} has, per block of
     * {@value #SWITCH_BLOCK} batches, the median first pass of those that name other rows than the batch before
     * them minus that of those naming the same rows (null when both lists of rows are the same).
     */
    private record BatchPasses(Sample first, Sample second, Sample gathering, Sample switchCost) {
    }

    /** Runs {@code repetitions} fresh batches, of rows {@code a}, a, b, b, a, ..., on one-token inputs. */
    private BatchPasses batchPasses(List<AdapterMix> a, List<AdapterMix> b, int repetitions) {
        return batchPasses(a, b, repetitions, false);
    }

    /** As above; with {@code flush}, the caches are flushed before each batch (untimed). */
    private BatchPasses batchPasses(List<AdapterMix> a, List<AdapterMix> b, int repetitions, boolean flush) {
        float[] flushed = flush ? new float[FLUSH_FLOATS] : null;
        ModelConfig config = model.config();
        List<Double> first = new ArrayList<>();
        List<Double> second = new ArrayList<>();
        List<Double> gathering = new ArrayList<>();
        List<Double> switchCost = new ArrayList<>();
        double[] afterOther = new double[SWITCH_BLOCK / 2];
        double[] afterSame = new double[SWITCH_BLOCK / 2];
        int warmups = 20;
        for (int repetition = -warmups; repetition < repetitions; repetition++) {
            List<AdapterMix> rows = Math.floorMod(repetition, 4) < 2 ? a : b;
            try (NDManager call = scratch.newSubManager()) {
                NDArray[][] inputs = new NDArray[Projection.values().length][];
                for (Projection projection : Projection.values()) {
                    long[] widths = widths(projection, config);
                    inputs[projection.ordinal()] = new NDArray[] {
                            call.ones(new Shape(rows.size(), 1, widths[0])),
                            call.zeros(new Shape(rows.size(), 1, widths[1]))};
                }
                if (flushed != null) {
                    flushCaches(flushed, repetition);
                }
                long start = System.nanoTime();
                LoraBatch batch = LoraBatch.of(rows, call);
                double firstPass = (System.nanoTime() - start) / 1e6 + applyAll(batch, inputs, config.layers());
                double secondPass = applyAll(batch, inputs, config.layers());
                if (repetition < 0) {
                    continue;
                }
                first.add(firstPass);
                second.add(secondPass);
                gathering.add(firstPass - secondPass);
                int inBlock = repetition % SWITCH_BLOCK;
                (repetition % 2 == 0 ? afterOther : afterSame)[inBlock / 2] = firstPass;
                if (inBlock == SWITCH_BLOCK - 1) {
                    switchCost.add(Latencies.median(afterOther) - Latencies.median(afterSame));
                }
            }
        }
        return new BatchPasses(Sample.of(first), Sample.of(second), Sample.of(gathering),
                a.equals(b) || switchCost.isEmpty() ? null : Sample.of(switchCost));
    }

    /** Writes every element of {@code floats}, evicting what the caches held. */
    private static void flushCaches(float[] floats, int pass) {
        for (int i = 0; i < floats.length; i++) {
            floats[i] += pass;
        }
    }

    private static double applyAll(LoraBatch batch, NDArray[][] inputs, int layers) {
        long start = System.nanoTime();
        for (int layer = 0; layer < layers; layer++) {
            for (Projection projection : Projection.values()) {
                NDArray[] pair = inputs[projection.ordinal()];
                batch.apply(pair[0], pair[1], layer, projection);
            }
        }
        return (System.nanoTime() - start) / 1e6;
    }

    /** {in, out} of a fused projection of the runtime. */
    private static long[] widths(Projection projection, ModelConfig config) {
        long query = (long) config.attentionHeads() * config.headDimension();
        long keyValue = (long) config.keyValueHeads() * config.headDimension();
        return switch (projection) {
            case QUERY_KEY_VALUE -> new long[] {config.hiddenSize(), query + 2 * keyValue};
            case OUTPUT -> new long[] {query, config.hiddenSize()};
            case GATE_UP -> new long[] {config.hiddenSize(), 2L * config.intermediateSize()};
            case DOWN -> new long[] {config.intermediateSize(), config.hiddenSize()};
        };
    }

    // ---- 2. Cold load ----------------------------------------------------------------------------------

    /**
     * Loads the adapters one after another, cycling over the directories, alternating between a load by hand
     * (read, validate, materialise, each timed) and a miss of a store whose budget holds 4 (which also evicts
     * and closes the least recently used), so that both see the same warm-up and the same machine.
     */
    private void measureColdLoad() {
        System.err.println("cold load: read + validate + materialise...");
        BaseModelShape shape = model.shape();
        List<Double> read = new ArrayList<>();
        List<Double> validate = new ArrayList<>();
        List<Double> materialise = new ArrayList<>();
        List<Double> total = new ArrayList<>();
        List<Double> misses = new ArrayList<>();
        try (AdapterStore<ResidentAdapter> store = store(FEW_RESIDENT)) {
            int next = 0;
            long warmupStart = System.nanoTime();
            int warmups = 0;
            while (warmups < 2 * FEW_RESIDENT || seconds(warmupStart) < options.warmupSeconds) {
                coldLoad(names.get(next++ % names.size()), shape).close();
                store.load(names.get(next++ % names.size()));
                warmups++;
            }
            for (int load = 0; load < options.loads; load++) {
                long start = System.nanoTime();
                LoraAdapter adapter = read(names.get(next++ % names.size()));
                long readEnd = System.nanoTime();
                adapter.validate(shape, options.rank);
                long validateEnd = System.nanoTime();
                ResidentAdapter resident = model.materialise(adapter, options.rank);   // validates again
                long materialiseEnd = System.nanoTime();
                resident.close();
                read.add((readEnd - start) / 1e6);
                validate.add((validateEnd - readEnd) / 1e6);
                materialise.add((materialiseEnd - validateEnd) / 1e6);
                total.add((readEnd - start + materialiseEnd - validateEnd) / 1e6);

                start = System.nanoTime();
                store.load(names.get(next++ % names.size()));
                misses.add((System.nanoTime() - start) / 1e6);
            }
            AdapterStore.Counters counters = store.counters();
            notes.add(String.format(Locale.ROOT, "load: %d timed loads by hand and %d timed store misses, alternating, "
                            + "after %d untimed pairs (at least %.0f s), cycling over the %d adapter directories, whose "
                            + "files stay in the page cache; the store's counters: %d loads, %d evictions, %d hits",
                    options.loads, options.loads, warmups, options.warmupSeconds, names.size(),
                    counters.loads(), counters.evictions(), counters.hits()));
        }
        Sample cold = Sample.of(total);
        lines.add(new Line("2 load", "cold load: LoraAdapter.read + LanguageModel.materialise", millis(cold.median()),
                range(cold, "ms"), "<= 50 ms", verdict(cold.median() <= 50)));
        addMillis("2 load", "  LoraAdapter.read (page cache warm)", Sample.of(read), "");
        addMillis("2 load", "  LoraAdapter.validate alone", Sample.of(validate), "");
        addMillis("2 load", "  LanguageModel.materialise (validate + copy to device)", Sample.of(materialise), "");
        lines.add(new Line("2 load", "  the first cold load in this JVM, before any warm-up", millis(firstLoadMillis),
                "(n=1)", "", ""));
        Sample miss = Sample.of(misses);
        lines.add(new Line("2 load", "AdapterStore miss (budget 4: read, validate, evict, materialise)",
                millis(miss.median()), range(miss, "ms"), "<= 50 ms", verdict(miss.median() <= 50)));
    }

    private ResidentAdapter coldLoad(String name, BaseModelShape shape) {
        LoraAdapter adapter = read(name);
        adapter.validate(shape, options.rank);
        return model.materialise(adapter, options.rank);
    }

    // ---- 3. Decode -------------------------------------------------------------------------------------

    private void measureDecode() {
        System.err.println("decode: base, unmerged, merged...");
        List<String> prompt = List.of(promptText(options.promptTokens - 1, 0));
        GenerationOptions generation = GenerationOptions.greedy(options.newTokens).withStopAtEos(false);
        List<Double> base = new ArrayList<>();
        List<Double> unmerged = new ArrayList<>();
        List<Double> merged = new ArrayList<>();
        List<Double> unmergedSlowdown = new ArrayList<>();
        List<Double> mergedSlowdown = new ArrayList<>();
        List<Double> mergeMillis = new ArrayList<>();
        List<Double> unmergeMillis = new ArrayList<>();
        try (ResidentAdapter adapter = model.materialise(read(names.get(0)), options.rank)) {
            List<AdapterMix> none = List.of(AdapterMix.none());
            List<AdapterMix> one = List.of(AdapterMix.of(adapter));
            long warmupStart = System.nanoTime();
            for (int round = -1; round < options.runs; round++) {
                boolean timed = round >= 0;
                double baseRate = decodeRate(prompt, none, generation);
                double unmergedRate = decodeRate(prompt, one, generation);
                long start = System.nanoTime();
                model.merge(adapter);
                double merge = (System.nanoTime() - start) / 1e6;
                double mergedRate;
                try {
                    mergedRate = decodeRate(prompt, one, generation);
                } finally {
                    start = System.nanoTime();
                    model.unmerge();
                }
                double unmerge = (System.nanoTime() - start) / 1e6;
                if (!timed) {
                    if (seconds(warmupStart) < options.warmupSeconds) {
                        round--;   // warm up for longer
                    }
                    continue;
                }
                base.add(baseRate);
                unmerged.add(unmergedRate);
                merged.add(mergedRate);
                unmergedSlowdown.add(100 * (1 - unmergedRate / baseRate));
                mergedSlowdown.add(100 * (1 - mergedRate / baseRate));
                mergeMillis.add(merge);
                unmergeMillis.add(unmerge);
                System.err.printf(Locale.ROOT, "decode round=%d base_tps=%.2f unmerged_tps=%.2f merged_tps=%.2f%n",
                        round + 1, baseRate, unmergedRate, mergedRate);
            }
        }
        Sample slowdown = Sample.of(unmergedSlowdown);
        addRate("3 decode", "decode tok/s, 1 prompt, bare base", Sample.of(base));
        addRate("3 decode", "decode tok/s, 1 prompt, one unmerged adapter", Sample.of(unmerged));
        lines.add(new Line("3 decode", "  unmerged slower than base (paired per round)",
                percent(slowdown.median()), range(slowdown, "%"), "<= 15%", verdict(slowdown.median() <= 15)));
        addRate("3 decode", "decode tok/s, 1 prompt, adapter merged", Sample.of(merged));
        Sample mergedSlow = Sample.of(mergedSlowdown);
        lines.add(new Line("3 decode", "  merged slower than base (paired per round)", percent(mergedSlow.median()),
                range(mergedSlow, "%"), "", ""));
        addMillis("3 decode", "merge (W += s B A, every layer)", Sample.of(mergeMillis), "");
        addMillis("3 decode", "unmerge", Sample.of(unmergeMillis), "");
    }

    /** Decode tokens/s of one generate call: the tokens after the first over the time of the decode steps. */
    private double decodeRate(List<String> prompts, List<AdapterMix> adapters, GenerationOptions generation) {
        List<GenerationResult> results = model.generate(prompts, adapters, generation, TokenListener.NONE);
        long tokens = 0;
        for (GenerationResult result : results) {
            check(result);
            tokens += result.tokens().length - 1;
        }
        return tokens * 1e9 / results.get(0).decodeNanos();
    }

    // ---- 4. Mixed batch --------------------------------------------------------------------------------

    /** The timings of one way of serving the 16 requests, one entry per timed round. */
    private static final class Serving {
        final String label;
        final List<Double> wallSeconds = new ArrayList<>();
        final List<Double> prefillSeconds = new ArrayList<>();
        final List<Double> decodeRates = new ArrayList<>();

        Serving(String label) {
            this.label = label;
        }

        /** Records the calls of one round: their wall time, and the prefill and decode times they report. */
        void add(double wall, List<List<GenerationResult>> calls) {
            double prefill = 0;
            double decode = 0;
            long decodeTokens = 0;
            for (List<GenerationResult> call : calls) {
                // prefill and decode times are those of the whole call, the same in each of its results
                prefill += call.get(0).prefillNanos() / 1e9;
                decode += call.get(0).decodeNanos() / 1e9;
                for (GenerationResult result : call) {
                    decodeTokens += result.tokens().length - 1;
                }
            }
            wallSeconds.add(wall);
            prefillSeconds.add(prefill);
            decodeRates.add(decodeTokens / decode);
        }
    }

    private void measureMixedBatch() {
        System.err.println("mixed batch: 16 requests over 8 adapters, one call against 8 calls...");
        List<String> prompts = prompts(CONCURRENT_REQUESTS);
        GenerationOptions generation = GenerationOptions.greedy(options.newTokens).withStopAtEos(false);
        List<ResidentAdapter> adapters = new ArrayList<>();
        try {
            for (int index = 0; index < MIXED_ADAPTERS; index++) {
                adapters.add(model.materialise(read(names.get(index)), options.rank));
            }
            int perAdapter = CONCURRENT_REQUESTS / MIXED_ADAPTERS;
            // request r names adapter r / 2: the 8 one-adapter calls each serve two neighbouring requests
            List<AdapterMix> mixes = new ArrayList<>();
            for (int request = 0; request < CONCURRENT_REQUESTS; request++) {
                mixes.add(AdapterMix.of(adapters.get(request / perAdapter)));
            }
            List<AdapterMix> none = Collections.nCopies(CONCURRENT_REQUESTS, AdapterMix.none());
            List<AdapterMix> shared = Collections.nCopies(CONCURRENT_REQUESTS, AdapterMix.of(adapters.get(0)));

            Serving mixed = new Serving("16 requests, 8 adapters: one mixed call");
            Serving oneAtATime = new Serving("16 requests, 8 adapters: 8 calls of 2, one adapter each");
            Serving bare = new Serving("16 requests, bare base, one call (reference)");
            Serving sameAdapter = new Serving("16 requests, all one adapter, one call (reference)");
            List<Double> ratios = new ArrayList<>();
            int agreeing = -1;
            long warmupStart = System.nanoTime();
            for (int round = -1; round < options.runs; round++) {
                List<GenerationResult> together = null;
                List<List<GenerationResult>> separately = new ArrayList<>();
                List<GenerationResult> bareResults = null;
                List<GenerationResult> sameResults = null;
                double mixedSeconds = 0;
                double oneAtATimeSeconds = 0;
                double bareSeconds = 0;
                double sameAdapterSeconds = 0;
                // each round starts with the next of the four, so that none always runs first or after another
                for (int turn = 0; turn < 4; turn++) {
                    int serving = Math.floorMod(round + turn, 4);
                    long start = System.nanoTime();
                    switch (serving) {
                        case 0 -> {
                            together = model.generate(prompts, mixes, generation, TokenListener.NONE);
                            mixedSeconds = seconds(start);
                        }
                        case 1 -> {
                            for (int adapter = 0; adapter < MIXED_ADAPTERS; adapter++) {
                                int from = adapter * perAdapter;
                                separately.add(model.generate(prompts.subList(from, from + perAdapter),
                                        mixes.subList(from, from + perAdapter), generation, TokenListener.NONE));
                            }
                            oneAtATimeSeconds = seconds(start);
                        }
                        case 2 -> {
                            bareResults = model.generate(prompts, none, generation, TokenListener.NONE);
                            bareSeconds = seconds(start);
                        }
                        default -> {
                            sameResults = model.generate(prompts, shared, generation, TokenListener.NONE);
                            sameAdapterSeconds = seconds(start);
                        }
                    }
                }
                List<GenerationResult> separateResults = separately.stream().flatMap(List::stream).toList();
                Stream.of(together, separateResults, bareResults, sameResults).flatMap(List::stream).forEach(this::check);
                if (round < 0) {
                    if (seconds(warmupStart) < options.warmupSeconds) {
                        round--;
                    }
                    continue;
                }
                agreeing = 0;
                for (int request = 0; request < CONCURRENT_REQUESTS; request++) {
                    if (Arrays.equals(together.get(request).tokens(), separateResults.get(request).tokens())) {
                        agreeing++;
                    }
                }
                mixed.add(mixedSeconds, List.of(together));
                oneAtATime.add(oneAtATimeSeconds, separately);
                bare.add(bareSeconds, List.of(bareResults));
                sameAdapter.add(sameAdapterSeconds, List.of(sameResults));
                ratios.add(oneAtATimeSeconds / mixedSeconds);
                System.err.printf(Locale.ROOT, "mixed round=%d mixed_s=%.3f one_at_a_time_s=%.3f bare_s=%.3f "
                                + "same_adapter_s=%.3f%n", round + 1, mixedSeconds, oneAtATimeSeconds, bareSeconds,
                        sameAdapterSeconds);
            }
            for (Serving serving : List.of(mixed, oneAtATime, bare, sameAdapter)) {
                addSeconds("4 mixed", serving.label + ": wall time", Sample.of(serving.wallSeconds));
                addSeconds("4 mixed", "  of which prefill", Sample.of(serving.prefillSeconds));
                addRate("4 mixed", "  decode tok/s, all rows", Sample.of(serving.decodeRates));
            }
            Sample together = Sample.of(mixed.wallSeconds);
            Sample separately = Sample.of(oneAtATime.wallSeconds);
            Sample paired = Sample.of(ratios);
            mixedBatchSpeedup = separately.median() / together.median();
            lines.add(new Line("4 mixed", "one adapter at a time / mixed, wall time (ratio of the medians)",
                    String.format(Locale.ROOT, "%.2fx", mixedBatchSpeedup),
                    String.format(Locale.ROOT, "paired %.2f-%.2fx", paired.low(), paired.high()), ">= 3x",
                    verdict(mixedBatchSpeedup >= 3)));
            BatchPasses gathered = batchPasses(mixes, mixes, 40);
            BatchPasses sharedPasses = batchPasses(shared, shared, 40);
            addMillis("4 mixed", "building the batch and gathering the 16 rows' factors, once per mixed call",
                    gathered.gathering(), "");
            addMillis("4 mixed", "LoraBatch.apply, every layer, 16 rows of 1 token, 8 adapters (per step)",
                    gathered.second(), "");
            addMillis("4 mixed", "LoraBatch.apply, every layer, 16 rows of 1 token, all one adapter (per step)",
                    sharedPasses.second(), "");
            notes.add(String.format(Locale.ROOT, "mixed: each request %d prompt tokens and %d new tokens; wall time of "
                            + "whole generate calls; prefill and decode as the calls report them (summed over the 8 "
                            + "calls); in the last round %d of 16 requests got the same greedy tokens from the mixed "
                            + "call as from their one-adapter call", options.promptTokens, options.newTokens,
                    agreeing));
        } finally {
            adapters.forEach(ResidentAdapter::close);
        }
    }

    // ---- 5. Resident ---------------------------------------------------------------------------------

    private void measureResident() {
        System.err.println("resident: a request stream over 64 resident adapters against 4...");
        List<String> prompts = prompts(CONCURRENT_REQUESTS);
        GenerationOptions generation = GenerationOptions.greedy(options.newTokens).withStopAtEos(false);
        try (AdapterStore<ResidentAdapter> many = store(ADAPTERS);
             AdapterStore<ResidentAdapter> few = store(FEW_RESIDENT)) {
            long start = System.nanoTime();
            names.forEach(many::load);
            names.subList(0, FEW_RESIDENT).forEach(few::load);
            System.err.printf(Locale.ROOT, "resident: filled the stores in %.1f s%n", seconds(start));
            List<Double> manyRates = new ArrayList<>();
            List<Double> fewRates = new ArrayList<>();
            List<Double> kept = new ArrayList<>();
            long warmupStart = System.nanoTime();
            for (int round = -1; round < options.runs; round++) {
                // the two alternate in which goes first
                double manyRate = 0;
                double fewRate = 0;
                for (int turn = 0; turn < 2; turn++) {
                    if ((Math.floorMod(round, 2) == 0) == (turn == 0)) {
                        manyRate = serve(many, names, prompts, generation);
                    } else {
                        fewRate = serve(few, names.subList(0, FEW_RESIDENT), prompts, generation);
                    }
                }
                if (round < 0) {
                    if (seconds(warmupStart) < options.warmupSeconds) {
                        round--;
                    }
                    continue;
                }
                manyRates.add(manyRate);
                fewRates.add(fewRate);
                kept.add(100 * manyRate / fewRate);
                System.err.printf(Locale.ROOT, "resident round=%d tps_64=%.2f tps_4=%.2f%n", round + 1, manyRate,
                        fewRate);
            }
            AdapterStore.Counters manyCounters = many.counters();
            AdapterStore.Counters fewCounters = few.counters();
            if (manyCounters.loads() != ADAPTERS || manyCounters.evictions() != 0
                    || fewCounters.loads() != FEW_RESIDENT || fewCounters.evictions() != 0) {
                throw new IllegalStateException("a store missed: 64-adapter store " + manyCounters + ", 4-adapter store "
                        + fewCounters);
            }
            Sample manySample = Sample.of(manyRates);
            Sample fewSample = Sample.of(fewRates);
            addRate("5 resident", "64 resident, stream over 64: generated tok/s", manySample);
            addRate("5 resident", "4 resident, stream over 4: generated tok/s", fewSample);
            double ratio = 100 * manySample.median() / fewSample.median();
            Sample paired = Sample.of(kept);
            lines.add(new Line("5 resident", "  kept with 64 resident (ratio of the medians)", percent(ratio),
                    String.format(Locale.ROOT, "paired %.1f-%.1f%%", paired.low(), paired.high()), ">= 90%",
                    verdict(ratio >= 90)));
            notes.add(String.format(Locale.ROOT, "resident: each run serves %d requests in batches of %d (a lease per "
                            + "request, one mixed generate call, the leases closed), request i naming adapter i mod 64 "
                            + "or i mod 4; tok/s counts generated tokens over the run's wall time (prefill included); "
                            + "no misses: the 64-adapter store %s, the 4-adapter store %s; %,d and %,d bytes resident "
                            + "by the store's count", options.residentRequests, CONCURRENT_REQUESTS, manyCounters,
                    fewCounters, many.residentBytes(), few.residentBytes()));
        }
    }

    /** Serves the requests of one run; returns generated tokens per second of wall time. */
    private double serve(AdapterStore<ResidentAdapter> store, List<String> adapterNames, List<String> prompts,
                         GenerationOptions generation) {
        long start = System.nanoTime();
        long tokens = 0;
        for (int first = 0; first < options.residentRequests; first += CONCURRENT_REQUESTS) {
            List<AdapterStore.Lease<ResidentAdapter>> leases = new ArrayList<>();
            try {
                List<AdapterMix> mixes = new ArrayList<>();
                for (int request = first; request < first + CONCURRENT_REQUESTS; request++) {
                    AdapterStore.Lease<ResidentAdapter> lease =
                            store.lease(adapterNames.get(request % adapterNames.size()));
                    leases.add(lease);
                    mixes.add(AdapterMix.of(lease.adapter()));
                }
                for (GenerationResult result : model.generate(prompts, mixes, generation, TokenListener.NONE)) {
                    check(result);
                    tokens += result.tokens().length;
                }
            } finally {
                leases.forEach(AdapterStore.Lease::close);
            }
        }
        return tokens / seconds(start);
    }

    // ---- Helpers ---------------------------------------------------------------------------------------

    /** A store over the catalogue with room for {@code adapters} of the benchmark's adapters. */
    private AdapterStore<ResidentAdapter> store(int adapters) {
        long bytes = read(names.get(0)).byteSize();
        BaseModelShape shape = model.shape();
        return new AdapterStore<>(catalogue, adapters * bytes, adapter -> adapter.validate(shape, options.rank),
                adapter -> model.materialise(adapter, options.rank));
    }

    private LoraAdapter read(String name) {
        return LoraAdapter.read(name, catalogue.resolve(name));
    }

    private List<String> prompts(int count) {
        List<String> prompts = new ArrayList<>();
        for (int sequence = 0; sequence < count; sequence++) {
            prompts.add(promptText(options.promptTokens - 1, sequence));   // the tokenizer puts BOS in front
        }
        return prompts;
    }

    /** The first {@code length} characters of the prompt text, from a per-sequence offset (one byte, one token). */
    private static String promptText(int length, int sequence) {
        StringBuilder text = new StringBuilder();
        int offset = (sequence * 7) % PROMPT_TEXT.length();
        text.append(PROMPT_TEXT, offset, PROMPT_TEXT.length());
        while (text.length() < length) {
            text.append(PROMPT_TEXT);
        }
        return text.substring(0, length);
    }

    private void check(GenerationResult result) {
        if (result.promptTokens() != options.promptTokens || result.tokens().length != options.newTokens) {
            throw new IllegalStateException("expected " + options.promptTokens + " prompt and " + options.newTokens
                    + " new tokens, got " + result.promptTokens() + " and " + result.tokens().length + " ("
                    + result.finishReason() + ")");
        }
    }

    // ---- Report ----------------------------------------------------------------------------------------

    private boolean print() {
        System.out.println();
        System.out.printf(Locale.ROOT, "%-10s %-74s %10s  %-24s %-10s %s%n", "section", "figure", "median", "range",
                "goal", "");
        for (Line line : lines) {
            System.out.printf(Locale.ROOT, "%-10s %-74s %10s  %-24s %-10s %s%n", line.section(), line.what(),
                    line.figure(), line.range(), line.goal(), line.verdict());
        }
        System.out.println();
        notes.forEach(System.out::println);
        if (mixedBatchSpeedup == null) {
            System.out.println("mixed_batch_speedup: n/a (the mixed section did not run)");
            return false;
        }
        System.out.printf(Locale.ROOT, "mixed_batch_speedup: %.3f%n", mixedBatchSpeedup);
        return true;
    }

    private void addMillis(String section, String what, Sample sample, String goal) {
        lines.add(new Line(section, what, millis(sample.median()), range(sample, "ms"), goal, ""));
    }

    private void addSeconds(String section, String what, Sample sample) {
        lines.add(new Line(section, what, String.format(Locale.ROOT, "%.3f s", sample.median()), range(sample, "s"),
                "", ""));
    }

    private void addRate(String section, String what, Sample sample) {
        lines.add(new Line(section, what, String.format(Locale.ROOT, "%.1f", sample.median()), range(sample, ""), "",
                ""));
    }

    private static String millis(double value) {
        return String.format(Locale.ROOT, "%.3f ms", value);
    }

    private static String micros(double value) {
        return String.format(Locale.ROOT, "%.2f us", value);
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.1f%%", value);
    }

    private static String range(Sample sample, String unit) {
        String format = Math.abs(sample.high()) >= 100 ? "%.0f" : Math.abs(sample.high()) >= 10 ? "%.1f" : "%.3f";
        return String.format(Locale.ROOT, format + " to " + format + "%s (n=%d)", sample.low(), sample.high(),
                unit.isEmpty() || unit.equals("%") ? unit : " " + unit, sample.count());
    }

    private static String verdict(boolean met) {
        return met ? "met" : "NOT met";
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

}
