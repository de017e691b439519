// Model-runtime figures: prefill and decode tokens/s of Synod's runtime and of Jlama (the peer), single prompt
// and batch, on the embedded default's size and on a 76M Llama, with the memory-bandwidth bound beside them.
package io.synod.bench.runtime;

import io.synod.bench.BenchCommand;
import io.synod.bench.WorkDirectory;
import io.synod.bench.Latencies;
import io.synod.solvers.model.GenerationOptions;
import io.synod.solvers.model.GenerationResult;
import io.synod.solvers.model.LanguageModel;
import io.synod.solvers.model.RuntimeOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code synod-bench runtime [--prompt-tokens 128] [--new-tokens 128] [--batch 8] [--threads N] [--runs 3]
 * [--warmups 1] [--warmup-seconds 5] [--models small,76M] [--checkpoints DIR] [--jlama-jar JAR]
 * [--jlama-java JAVA] [--no-jlama] [--no-synod]}.
 *
 * <p>Writes the checkpoints ({@link BenchmarkCheckpoint}) into a temporary directory (or {@code --checkpoints},
 * which is kept), measures the matrix-vector bandwidth ({@link MemoryBandwidth}), runs Synod's
 * {@link LanguageModel} in this JVM and the Jlama peer ({@code bench/jlama-peer}) in child JVMs on the same
 * files with the same thread count, and prints a table whose last line is {@code decode_vs_jlama: <ratio>}:
 * Synod's decode tokens/s over Jlama's best, for the 76M model, one prompt, f32. Jlama runs twice per model,
 * with its native SIMD kernels (its default) and with its Panama Vector API kernels; its best is the faster of
 * the two, and its batch row uses that one (Jlama 0.8.4 cannot batch sequences, so it runs the batch's prompts
 * one after another). Progress goes to stderr, the table to stdout.
 *
 * <p>What is counted, on both sides: a sequence is a prompt of exactly {@code prompt-tokens} tokens (BOS
 * included) and exactly {@code new-tokens} greedy new tokens, end-of-sequence ignored. Prefill tokens/s is
 * prompt tokens over the prompt's forward pass; decode tokens/s is the tokens produced by the
 * {@code new-tokens - 1} single-token steps that follow the prompt (the first new token comes from the
 * prefill logits), over the time of those steps. Figures are medians over {@code runs} runs after at least
 * {@code warmups} warm-up runs lasting at least {@code warmup-seconds}. A figure that was not measured is
 * printed as "n/a", never estimated.
 */
public final class RuntimeBenchmark {
    /** The text the prompts are cut from; the peer cuts its prompts from the same text. */
    static final String PROMPT_TEXT = "The quick brown fox jumps over the lazy dog while five boxing wizards jump "
            + "quickly and a sphinx of black quartz judges my vow. ";
    private static final String JLAMA_VERSION = "0.8.4";
    private static final int BANDWIDTH_ROWS = 8192;
    private static final int BANDWIDTH_COLUMNS = 8192;   // 256 MiB of f32: far beyond the caches, near the 76M model
    private static final int BANDWIDTH_REPEATS = 10;
    private static final long WEIGHT_SEED = 42;

    @Command(name = "bench/run runtime", sortOptions = false, abbreviateSynopsis = true,
            description = "Prefill and decode tokens/s of Synod's runtime and of Jlama on the same checkpoints, with the"
                    + " memory-bandwidth bound beside them. The last line is decode_vs_jlama: <ratio>.")
    private static final class Options implements Callable<Integer> {
        @Option(names = "--prompt-tokens", defaultValue = "128", paramLabel = "N", converter = BenchCommand.Positive.class,
                description = "tokens per prompt, BOS included, at least 2 (${DEFAULT-VALUE})")
        int promptTokens;

        @Option(names = "--new-tokens", defaultValue = "128", paramLabel = "M", converter = BenchCommand.Positive.class,
                description = "greedy tokens generated per prompt, EOS ignored, at least 2 (${DEFAULT-VALUE})")
        int newTokens;

        @Option(names = "--batch", defaultValue = "8", paramLabel = "B", converter = BenchCommand.Positive.class,
                description = "prompts in the batch rows (${DEFAULT-VALUE}; Jlama runs them one after another)")
        int batch;

        @Option(names = "--threads", paramLabel = "T", converter = BenchCommand.Positive.class,
                description = "threads for both engines (all processors)")
        int threads = Runtime.getRuntime().availableProcessors();

        @Option(names = "--runs", defaultValue = "3", paramLabel = "R", converter = BenchCommand.Positive.class,
                description = "timed runs; the table holds medians (${DEFAULT-VALUE})")
        int runs;

        @Option(names = "--warmups", defaultValue = "1", paramLabel = "W",
                description = "untimed runs first (${DEFAULT-VALUE}), and more until --warmup-seconds have passed")
        int warmups;

        @Option(names = "--warmup-seconds", defaultValue = "5", paramLabel = "S",
                description = "shortest warm-up, in seconds (${DEFAULT-VALUE})")
        double warmupSeconds;

        @Option(names = "--models", defaultValue = "small,76M", split = ",", paramLabel = "LIST",
                description = "small, 76M or both (${DEFAULT-VALUE})")
        List<String> models;

        @Option(names = "--checkpoints", paramLabel = "DIR",
                description = "write the checkpoints here and keep them (default: a temporary directory)")
        Path checkpoints;

        @Option(names = "--jlama-jar", defaultValue = "${sys:synod.bench.jlama-jar:-bench/jlama-peer/target/jlama-peer.jar}",
                paramLabel = "JAR", description = "the Jlama peer (${DEFAULT-VALUE})")
        Path jlamaJar;

        @Option(names = "--jlama-java",
                defaultValue = "${sys:synod.bench.jlama-java:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}",
                paramLabel = "JAVA", description = "a JDK 21+ java for the peer (${DEFAULT-VALUE})")
        Path jlamaJava;

        @Option(names = "--no-jlama", description = "leave Jlama out (then no decode_vs_jlama ratio)")
        boolean noJlama;

        @Option(names = "--no-synod", description = "leave Synod out (then no decode_vs_jlama ratio)")
        boolean noSynod;

        @Mixin
        BenchCommand.Help help;

        @Spec
        CommandSpec spec;

        boolean jlama() {
            return !noJlama;
        }

        boolean synod() {
            return !noSynod;
        }

        /** Runs the benchmark; 1 when the ratio could not be measured. */
        @Override
        public Integer call() throws Exception {
            validate();
            return RuntimeBenchmark.run(this) ? 0 : 1;
        }

        private void validate() {
            if (promptTokens < 2 || newTokens < 2) {
                throw new ParameterException(spec.commandLine(), "--prompt-tokens and --new-tokens must be at least 2");
            }
            for (String model : models) {
                try {
                    checkpoint(model);
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), "--models: " + e.getMessage());
                }
            }
            if (jlama() && !Files.isRegularFile(jlamaJar)) {
                throw new ParameterException(spec.commandLine(), "--jlama-jar " + jlamaJar + " does not exist; build "
                        + "bench/jlama-peer (bench/run does) or pass --no-jlama");
            }
            if (jlama() && !Files.isExecutable(jlamaJava)) {
                throw new ParameterException(spec.commandLine(), "--jlama-java " + jlamaJava
                        + " is not an executable JDK 21+ java");
            }
        }
    }

    /**
     * One line of the table; a null figure was not measured, and {@code failure} says why. {@code firstTokens}
     * are the first greedy tokens generated for the first prompt, when the engine reported them.
     */
    private record Row(BenchmarkCheckpoint model, String engine, int batch, Double prefillTokensPerSecond,
                       Double decodeTokensPerSecond, String failure, int[] firstTokens) {
        static Row failed(BenchmarkCheckpoint model, String engine, int batch, String failure) {
            return new Row(model, engine, batch, null, null, failure, null);
        }
    }

    private RuntimeBenchmark() {}

    public static void main(String[] args) {
        BenchCommand.execute(new Options(), args);
    }

    /** Prints the settings, then runs everything in the checkpoint directory; false when the ratio was not measured. */
    private static boolean run(Options options) throws Exception {
        System.out.printf(Locale.ROOT, "runtime benchmark: java %s, %d processors, %d threads; prompt %d tokens, "
                        + "%d new tokens, greedy, f32, EOS ignored; medians of %d runs after at least %d warm-up "
                        + "run(s) and %.0f s%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), options.threads,
                options.promptTokens, options.newTokens, options.runs, options.warmups,
                options.warmupSeconds);
        return WorkDirectory.use(options.checkpoints, "synod-bench-runtime", root -> run(options, root));
    }

    /** Runs everything and prints the table; false when the ratio could not be measured. */
    private static boolean run(Options options, Path root) throws Exception {
        List<BenchmarkCheckpoint> models = options.models.stream().map(RuntimeBenchmark::checkpoint).toList();
        for (BenchmarkCheckpoint model : models) {
            long start = System.nanoTime();
            model.write(root.resolve(model.name()), WEIGHT_SEED);
            System.err.printf(Locale.ROOT, "wrote %s in %.1f s: %s%n", root.resolve(model.name()),
                    (System.nanoTime() - start) / 1e9, model);
        }

        System.err.println("measuring matrix-vector bandwidth...");
        List<MemoryBandwidth.Figure> bandwidths = new ArrayList<>();
        try {
            bandwidths.add(MemoryBandwidth.pytorch(BANDWIDTH_ROWS, BANDWIDTH_COLUMNS, options.threads,
                    BANDWIDTH_REPEATS));
        } catch (RuntimeException | LinkageError e) {
            System.err.println("PyTorch bandwidth not measured: " + e);
        }
        if (Files.isRegularFile(options.jlamaJar) && Files.isExecutable(options.jlamaJava)) {
            try {
                bandwidths.add(MemoryBandwidth.javaVectorApi(options.jlamaJava, options.jlamaJar, BANDWIDTH_ROWS,
                        BANDWIDTH_COLUMNS, options.threads, BANDWIDTH_REPEATS));
            } catch (IOException | RuntimeException e) {
                System.err.println("Vector API bandwidth not measured: " + e);
            }
        }
        // the bound is the best that any way of reading the matrix reached
        Optional<MemoryBandwidth.Figure> bound = bandwidths.stream()
                .max(Comparator.comparingDouble(MemoryBandwidth.Figure::bestGigabytesPerSecond));

        List<Row> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (BenchmarkCheckpoint model : models) {
            Path directory = root.resolve(model.name());
            if (options.synod()) {
                rows.add(synod(model, directory, 1, options));
                if (options.batch > 1) {
                    rows.add(synod(model, directory, options.batch, options));
                }
            }
            if (options.jlama()) {
                Row nativeRow = jlama(model, directory, 1, false, options, notes);
                Row panamaRow = jlama(model, directory, 1, true, options, notes);
                rows.add(nativeRow);
                rows.add(panamaRow);
                if (options.batch > 1) {
                    // the faster single-prompt kernels run the batch
                    boolean panama = decode(panamaRow) > decode(nativeRow);
                    rows.add(jlama(model, directory, options.batch, panama, options, notes));
                }
            }
        }
        return print(rows, bandwidths, bound, models, notes);
    }

    private static BenchmarkCheckpoint checkpoint(String name) {
        return Stream.of(BenchmarkCheckpoint.EMBEDDED_DEFAULT, BenchmarkCheckpoint.LLAMA_76M)
                .filter(checkpoint -> checkpoint.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown model '" + name + "'; expected small or 76M"));
    }

    // ---- Synod ------------------------------------------------------------------------------------------

    /** Synod's runtime in this JVM: one generate() call per run, all prompts of the batch in it. */
    private static Row synod(BenchmarkCheckpoint model, Path directory, int batch, Options options) {
        String engine = "synod (DJL PyTorch)";
        System.err.printf(Locale.ROOT, "synod: %s, batch %d...%n", model.name(), batch);
        RuntimeOptions runtime = RuntimeOptions.defaults()
                .withDevice(RuntimeOptions.DevicePreference.CPU)
                .withThreads(options.threads)
                .withContextLength(options.promptTokens + options.newTokens);
        GenerationOptions generation = GenerationOptions.greedy(options.newTokens).withStopAtEos(false);
        List<String> prompts = new ArrayList<>();
        for (int sequence = 0; sequence < batch; sequence++) {
            prompts.add(promptText(options.promptTokens - 1, sequence));   // the tokenizer puts BOS in front
        }
        try (LanguageModel language = LanguageModel.load(directory, runtime)) {
            long warmupStart = System.nanoTime();
            for (int warmup = 0; warmup < options.warmups
                    || System.nanoTime() - warmupStart < options.warmupSeconds * 1e9; warmup++) {
                language.generate(prompts, generation);
            }
            double[] prefill = new double[options.runs];
            double[] decode = new double[options.runs];
            int[] firstTokens = null;
            for (int run = 0; run < options.runs; run++) {
                List<GenerationResult> results = language.generate(prompts, generation);
                firstTokens = results.get(0).tokens();
                long promptTokens = 0;
                long decodeTokens = 0;
                for (GenerationResult result : results) {
                    if (result.promptTokens() != options.promptTokens
                            || result.tokens().length != options.newTokens) {
                        throw new IllegalStateException("expected " + options.promptTokens + " prompt and "
                                + options.newTokens + " new tokens, got " + result.promptTokens() + " and "
                                + result.tokens().length + " (" + result.finishReason() + ")");
                    }
                    promptTokens += result.promptTokens();
                    decodeTokens += result.tokens().length - 1;
                }
                // prefill and decode times are those of the whole batch, the same in every result
                prefill[run] = promptTokens * 1e9 / results.get(0).prefillNanos();
                decode[run] = decodeTokens * 1e9 / results.get(0).decodeNanos();
                System.err.printf(Locale.ROOT, "synod run=%d prefill_tps=%.2f decode_tps=%.2f%n",
                        run + 1, prefill[run], decode[run]);
            }
            return new Row(model, engine, batch, Latencies.median(prefill), Latencies.median(decode), null,
                    firstTokens);
        } catch (RuntimeException e) {
            System.err.println("synod failed: " + e);
            return Row.failed(model, engine, batch, e.toString());
        }
    }

    /** The first {@code length} characters of the prompt text, starting at a per-sequence offset. */
    static String promptText(int length, int sequence) {
        StringBuilder text = new StringBuilder();
        int offset = (sequence * 7) % PROMPT_TEXT.length();
        text.append(PROMPT_TEXT, offset, PROMPT_TEXT.length());
        while (text.length() < length) {
            text.append(PROMPT_TEXT);
        }
        return text.substring(0, length);
    }

    // ---- Jlama ------------------------------------------------------------------------------------------

    /**
     * Jlama in a child JVM (Temurin 25 with the Vector API), with its native SIMD kernels (its default when
     * they load) or forced onto its Panama Vector API kernels.
     */
    private static Row jlama(BenchmarkCheckpoint model, Path directory, int batch, boolean panama, Options options,
                             List<String> notes) {
        String engine = "jlama " + JLAMA_VERSION + (panama ? " panama" : " native")
                + (batch > 1 ? " (" + batch + " sequential)" : "");
        System.err.printf(Locale.ROOT, "%s: %s, batch %d...%n", engine, model.name(), batch);
        List<String> command = new ArrayList<>(List.of(options.jlamaJava.toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-preview", "--enable-native-access=ALL-UNNAMED",
                "-Djlama.force_panama_tensor_operations=" + panama,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-jar", options.jlamaJar.toString(),
                "--model", directory.toString(),
                "--prompt-tokens", Integer.toString(options.promptTokens),
                "--new-tokens", Integer.toString(options.newTokens),
                "--batch", Integer.toString(batch),
                "--threads", Integer.toString(options.threads),
                "--runs", Integer.toString(options.runs),
                "--warmups", Integer.toString(options.warmups),
                "--warmup-seconds", Double.toString(options.warmupSeconds)));
        boolean headline = model == BenchmarkCheckpoint.LLAMA_76M && batch == 1 && !panama;
        if (headline) {
            command.add("--check-generate");
        }
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String summary = null;
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    System.err.println(line);
                    if (line.startsWith("jlama prefill_tps=")) {
                        summary = line;
                    } else if (line.startsWith("jlama_generate ")) {
                        notes.add(model.name() + ", " + engine + ": Jlama's own generate() reports "
                                + line.substring("jlama_generate ".length()));
                    }
                }
            }
            int exit = process.waitFor();
            if (exit != 0 || summary == null) {
                return Row.failed(model, engine, batch, "the Jlama peer exited with " + exit
                        + (summary == null ? " and printed no figures" : ""));
            }
            int[] firstTokens = Arrays.stream(text(summary, "first_tokens").split(","))
                    .mapToInt(Integer::parseInt).toArray();
            return new Row(model, engine, batch, Double.parseDouble(text(summary, "prefill_tps")),
                    Double.parseDouble(text(summary, "decode_tps")), null, firstTokens);
        } catch (IOException e) {
            return Row.failed(model, engine, batch, "the Jlama peer could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Row.failed(model, engine, batch, "interrupted");
        }
    }

    private static String text(String line, String name) {
        for (String part : line.split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        throw new IllegalStateException("no " + name + " in '" + line + "'");
    }

    private static double decode(Row row) {
        return row.decodeTokensPerSecond() == null ? -1 : row.decodeTokensPerSecond();
    }

    // ---- Report -----------------------------------------------------------------------------------------

    private static boolean print(List<Row> rows, List<MemoryBandwidth.Figure> bandwidths,
                              Optional<MemoryBandwidth.Figure> bound, List<BenchmarkCheckpoint> models,
                              List<String> notes) {
        System.out.println();
        System.out.printf(Locale.ROOT, "%-6s %-36s %5s %14s %13s %13s%n",
                "model", "engine", "batch", "prefill tok/s", "decode tok/s", "decode/bound");
        for (Row row : rows) {
            String share = "-";
            if (row.batch() == 1 && row.decodeTokensPerSecond() != null && bound.isPresent()) {
                share = String.format(Locale.ROOT, "%.0f%%", 100 * row.decodeTokensPerSecond()
                        / boundTokensPerSecond(row.model(), bound.get()));
            }
            System.out.printf(Locale.ROOT, "%-6s %-36s %5d %14s %13s %13s%n", row.model().name(), row.engine(),
                    row.batch(), figure(row.prefillTokensPerSecond()), figure(row.decodeTokensPerSecond()), share);
        }
        System.out.println();
        for (Row row : rows) {
            if (row.failure() != null) {
                System.out.printf("not measured: %s, %s, batch %d: %s%n", row.model().name(), row.engine(), row.batch(),
                        row.failure());
            }
        }
        notes.forEach(System.out::println);
        printAgreement(rows);
        for (MemoryBandwidth.Figure figure : bandwidths) {
            System.out.printf(Locale.ROOT, "matrix-vector bandwidth, %s, %d x %d f32 (%.0f MiB): best %.1f GB/s, "
                            + "median %.1f GB/s%n", figure.method(), BANDWIDTH_ROWS, BANDWIDTH_COLUMNS,
                    4.0 * BANDWIDTH_ROWS * BANDWIDTH_COLUMNS / (1 << 20), figure.bestGigabytesPerSecond(),
                    figure.medianGigabytesPerSecond());
        }
        if (bound.isPresent()) {
            for (BenchmarkCheckpoint model : models) {
                System.out.printf(Locale.ROOT, "bound for %s: %.1f MB of f32 weights read per decoded token at "
                                + "%.1f GB/s = %.1f tok/s%n", model.name(), model.bytesReadPerToken() / 1e6,
                        bound.get().bestGigabytesPerSecond(), boundTokensPerSecond(model, bound.get()));
            }
            System.out.println("(decode/bound: decode tok/s of one prompt over that bound; weights that fit in the "
                    + "last-level cache can pass 100%)");
        } else {
            System.out.println("bandwidth not measured: no bound");
        }

        Optional<Row> synod = rows.stream()
                .filter(row -> row.model() == BenchmarkCheckpoint.LLAMA_76M && row.batch() == 1
                        && row.engine().startsWith("synod") && row.decodeTokensPerSecond() != null)
                .findFirst();
        Optional<Row> jlama = rows.stream()
                .filter(row -> row.model() == BenchmarkCheckpoint.LLAMA_76M && row.batch() == 1
                        && row.engine().startsWith("jlama") && row.decodeTokensPerSecond() != null)
                .max(Comparator.comparingDouble(Row::decodeTokensPerSecond));
        if (synod.isPresent() && jlama.isPresent()) {
            System.out.printf(Locale.ROOT, "decode_vs_jlama: %.3f%n",
                    synod.get().decodeTokensPerSecond() / jlama.get().decodeTokensPerSecond());
            return true;
        }
        System.out.println("decode_vs_jlama: n/a (" + (synod.isEmpty() ? "no Synod" : "no Jlama")
                + " decode figure for 76M, batch 1)");
        return false;
    }

    /**
     * How many of the first greedy tokens of the first prompt each Jlama configuration shares with Synod, per
     * model: a check that the engines compute the same function of the same weights, not only at some speed.
     * (With random weights the top logits are close, so a small numerical difference can change a choice.)
     */
    private static void printAgreement(List<Row> rows) {
        for (BenchmarkCheckpoint model : rows.stream().map(Row::model).distinct().toList()) {
            Optional<int[]> synod = rows.stream()
                    .filter(row -> row.model() == model && row.batch() == 1 && row.engine().startsWith("synod"))
                    .map(Row::firstTokens).filter(Objects::nonNull).findFirst();
            if (synod.isEmpty()) {
                continue;
            }
            System.out.printf("greedy tokens, %s, first prompt: synod %s%n", model.name(),
                    Arrays.toString(Arrays.copyOf(synod.get(), Math.min(synod.get().length, 16))));
            for (Row row : rows) {
                if (row.model() != model || row.batch() != 1 || !row.engine().startsWith("jlama")
                        || row.firstTokens() == null) {
                    continue;
                }
                int[] jlama = row.firstTokens();
                int compared = Math.min(synod.get().length, jlama.length);
                int agreed = 0;
                while (agreed < compared && synod.get()[agreed] == jlama[agreed]) {
                    agreed++;
                }
                System.out.printf(Locale.ROOT, "  %s %s: the first %d of %d agree with synod%n", row.engine(),
                        Arrays.toString(jlama), agreed, compared);
            }
        }
    }

    private static double boundTokensPerSecond(BenchmarkCheckpoint model, MemoryBandwidth.Figure bandwidth) {
        return bandwidth.bestGigabytesPerSecond() * 1e9 / model.bytesReadPerToken();
    }

    private static String figure(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.1f", value);
    }

}
