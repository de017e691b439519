// The peer engine of `bench/run runtime`: loads a HuggingFace-layout Llama checkpoint with Jlama's own loader
// and prints Jlama's prefill and decode speed (tokens/s, greedy) as one machine-readable line.
package io.synod.bench.jlama;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.model.functions.Generator;
import com.github.tjake.jlama.safetensors.Config;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.prompt.PromptContext;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import com.github.tjake.jlama.tensor.operations.TensorOperationsProvider;
import com.github.tjake.jlama.util.PhysicalCoreExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Usage: {@code JlamaPeer --model DIR [--prompt-tokens 128] [--new-tokens 128] [--batch 1] [--threads N]
 * [--runs 3] [--warmups 1] [--warmup-seconds 5] [--check-generate]}.
 *
 * <p>Each sequence is one prompt of exactly {@code --prompt-tokens} tokens (BOS included) followed by exactly
 * {@code --new-tokens} greedy tokens, with no stop token: the loop below makes the same calls as Jlama's
 * {@code AbstractModel.generate} (one {@code batchForward} over the prompt, then {@code forward} and
 * {@code sample} per token, with a KV buffer from a {@link KvBufferCache}) but never stops at EOS and times
 * with {@link System#nanoTime()} instead of milliseconds. {@code --check-generate} also runs Jlama's own
 * {@code generate} once and prints the timings it reports, to show that the loop costs what Jlama costs.
 *
 * <p>Jlama 0.8.4 has no batched generation over several sequences (one {@code generate} call is one
 * session), so {@code --batch B} runs B prompts one after another and reports total tokens over total time;
 * the output line says {@code batch_mode=sequential}.
 *
 * <p>Figures: prefill tokens/s is prompt tokens over the time from the start of the prompt's forward pass to
 * the first new token; decode tokens/s is the tokens made by the {@code new-tokens - 1} single-token forward
 * passes that follow, over their time. With several runs, the printed line holds the medians.
 */
public final class JlamaPeer {
    /** The text the prompts are cut from; the byte-level vocabulary makes one ASCII character one token. */
    static final String PROMPT_TEXT = "The quick brown fox jumps over the lazy dog while five boxing wizards jump "
            + "quickly and a sphinx of black quartz judges my vow. ";
    /** Generated tokens of the first prompt that the result line shows, to compare engines' greedy choices. */
    private static final int FIRST_TOKENS_SHOWN = 16;

    private record Options(Path model, int promptTokens, int newTokens, int batch, int threads, int runs,
                           int warmups, double warmupSeconds, boolean checkGenerate) {
        Options {
            if (!Files.isRegularFile(model.resolve("config.json"))) {
                throw new IllegalArgumentException("--model " + model + ": expected a directory with config.json");
            }
            if (promptTokens < 2 || newTokens < 2 || batch < 1 || runs < 1 || warmups < 0) {
                throw new IllegalArgumentException("expected --prompt-tokens >= 2, --new-tokens >= 2, --batch >= 1, "
                        + "--runs >= 1, --warmups >= 0");
            }
            int processors = Runtime.getRuntime().availableProcessors();
            if (threads < 1 || threads > processors) {
                throw new IllegalArgumentException("--threads " + threads + ": expected 1.." + processors);
            }
        }

        static Options parse(String[] args) {
            Path model = null;
            int promptTokens = 128;
            int newTokens = 128;
            int batch = 1;
            int threads = Runtime.getRuntime().availableProcessors();
            int runs = 3;
            int warmups = 1;
            double warmupSeconds = 5;
            boolean checkGenerate = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--model" -> model = Path.of(value(args, ++i));
                    case "--prompt-tokens" -> promptTokens = Integer.parseInt(value(args, ++i));
                    case "--new-tokens" -> newTokens = Integer.parseInt(value(args, ++i));
                    case "--batch" -> batch = Integer.parseInt(value(args, ++i));
                    case "--threads" -> threads = Integer.parseInt(value(args, ++i));
                    case "--runs" -> runs = Integer.parseInt(value(args, ++i));
                    case "--warmups" -> warmups = Integer.parseInt(value(args, ++i));
                    case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(value(args, ++i));
                    case "--check-generate" -> checkGenerate = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (model == null) {
                throw new IllegalArgumentException("--model DIR is required");
            }
            return new Options(model, promptTokens, newTokens, batch, threads, runs, warmups, warmupSeconds,
                    checkGenerate);
        }

        private static String value(String[] args, int index) {
            if (index >= args.length) {
                throw new IllegalArgumentException(args[index - 1] + " needs a value");
            }
            return args[index];
        }
    }

    /** Tokens and nanoseconds of one or more sequences, with the tokens generated for the first of them. */
    private record Timing(long prefillTokens, long prefillNanos, long decodeTokens, long decodeNanos,
                          int[] firstGenerated) {
        Timing plus(Timing other) {
            return new Timing(prefillTokens + other.prefillTokens, prefillNanos + other.prefillNanos,
                    decodeTokens + other.decodeTokens, decodeNanos + other.decodeNanos,
                    firstGenerated != null ? firstGenerated : other.firstGenerated);
        }

        double prefillTokensPerSecond() {
            return prefillTokens * 1e9 / prefillNanos;
        }

        double decodeTokensPerSecond() {
            return decodeTokens * 1e9 / decodeNanos;
        }
    }

    private JlamaPeer() {}

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("jlama-peer: " + e.getMessage());
            System.exit(2);
            return;
        }
        int status = 0;
        try {
            run(options);
        } catch (RuntimeException e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);   // Jlama's pool threads are not daemons: without this the JVM would not end
    }

    private static void run(Options options) {
        // Jlama's pool defaults to max(2, processors / 2); it must be sized before anything uses it.
        PhysicalCoreExecutor.overrideThreadCount(options.threads());

        // F32 working memory and no quantization of it: the checkpoint is f32 and so is Synod's side.
        AbstractModel model = ModelSupport.loadModel(options.model().toFile(), DType.F32, DType.F32);
        Config config = model.getConfig();
        if (options.promptTokens() + options.newTokens() > config.contextLength) {
            throw new IllegalArgumentException("prompt plus new tokens exceed the model's context length "
                    + config.contextLength);
        }
        String operations = TensorOperationsProvider.get().name().replace(' ', '_');
        System.err.printf(Locale.ROOT, "jlama-peer: %s, %d layers, hidden %d, vocabulary %d, %d threads, %s%n",
                options.model().getFileName(), config.numberOfLayers, config.embeddingLength, config.vocabularySize,
                options.threads(), operations);

        int[][] prompts = new int[options.batch()][];
        for (int sequence = 0; sequence < prompts.length; sequence++) {
            prompts[sequence] = promptTokens(model, options.promptTokens(), sequence);
        }

        KvBufferCache kvBuffers = new KvBufferCache(model);
        // warm-up: one sequence at a time (the JIT needs time, not a full batch), at least --warmups of them
        // and for at least --warmup-seconds
        long warmupStart = System.nanoTime();
        for (int warmup = 0; warmup < options.warmups()
                || System.nanoTime() - warmupStart < options.warmupSeconds() * 1e9; warmup++) {
            runSequence(model, kvBuffers, prompts[warmup % prompts.length], options.newTokens());
        }
        double[] prefill = new double[options.runs()];
        double[] decode = new double[options.runs()];
        int[] generated = null;
        for (int run = 0; run < options.runs(); run++) {
            Timing timing = runBatch(model, kvBuffers, prompts, options.newTokens());
            generated = timing.firstGenerated();
            prefill[run] = timing.prefillTokensPerSecond();
            decode[run] = timing.decodeTokensPerSecond();
            System.out.printf(Locale.ROOT, "jlama run=%d prefill_tps=%.2f decode_tps=%.2f%n",
                    run + 1, prefill[run], decode[run]);
        }
        if (options.checkGenerate()) {
            checkGenerate(model, options);
        }
        System.out.printf(Locale.ROOT,
                "jlama prefill_tps=%.2f decode_tps=%.2f batch=%d batch_mode=%s prompt_tokens=%d new_tokens=%d "
                        + "threads=%d runs=%d operations=%s java=%s first_tokens=%s%n",
                median(prefill), median(decode), options.batch(), options.batch() == 1 ? "single" : "sequential",
                options.promptTokens(), options.newTokens(), options.threads(), options.runs(), operations,
                System.getProperty("java.version"), Arrays.stream(generated).limit(FIRST_TOKENS_SHOWN)
                        .mapToObj(Integer::toString).collect(Collectors.joining(",")));
        kvBuffers.close();
        model.close();
    }

    /** BOS, then the first {@code count - 1} tokens of the prompt text, starting at a per-sequence offset. */
    private static int[] promptTokens(AbstractModel model, int count, int sequence) {
        StringBuilder text = new StringBuilder();
        int offset = (sequence * 7) % PROMPT_TEXT.length();
        text.append(PROMPT_TEXT, offset, PROMPT_TEXT.length());
        while (text.length() < 4 * count) {
            text.append(PROMPT_TEXT);
        }
        long[] encoded = model.getTokenizer().encode(text.toString());
        if (encoded.length < count - 1) {
            throw new IllegalStateException("the tokenizer made " + encoded.length + " tokens of " + text.length()
                    + " characters; expected at least " + (count - 1));
        }
        int[] tokens = new int[count];
        tokens[0] = model.getConfig().bosToken;
        for (int i = 1; i < count; i++) {
            tokens[i] = Math.toIntExact(encoded[i - 1]);
        }
        return tokens;
    }

    private static Timing runBatch(AbstractModel model, KvBufferCache kvBuffers, int[][] prompts, int newTokens) {
        Timing total = new Timing(0, 0, 0, 0, null);
        for (int[] prompt : prompts) {
            total = total.plus(runSequence(model, kvBuffers, prompt, newTokens));
        }
        return total;
    }

    /** One greedy generation of exactly {@code newTokens} tokens; see the class comment for what is timed. */
    private static Timing runSequence(AbstractModel model, KvBufferCache kvBuffers, int[] prompt, int newTokens) {
        int vocabularySize = model.getConfig().vocabularySize;
        int[] generated = new int[newTokens];
        try (KvBufferCache.KvBuffer kv = kvBuffers.getKvBuffer(UUID.randomUUID());
             AbstractTensor logits = model.makeDenseTensor(vocabularySize)) {
            long start = System.nanoTime();
            AbstractTensor last = model.batchForward(prompt, 0, kv);
            generated[0] = model.sample(last.slice(last.shape().first() - 1), 0.0f, 0.0f, logits);
            last.close();
            long prefillEnd = System.nanoTime();
            for (int i = 1; i < newTokens; i++) {
                AbstractTensor output = model.forward(generated[i - 1], prompt.length + i - 1, kv, Optional.empty());
                generated[i] = model.sample(output, 0.0f, 0.0f, logits);
                output.close();
            }
            long end = System.nanoTime();
            if (Arrays.stream(generated).anyMatch(token -> token < 0 || token >= vocabularySize)) {
                throw new IllegalStateException("Jlama sampled a token outside the vocabulary: "
                        + Arrays.toString(generated));
            }
            return new Timing(prompt.length, prefillEnd - start, newTokens - 1, end - prefillEnd, generated);
        }
    }

    /** Jlama's own generate(), once: its reported timings (milliseconds) for comparison with the loop's. */
    private static void checkGenerate(AbstractModel model, Options options) {
        String text = PROMPT_TEXT.repeat(4 * options.promptTokens() / PROMPT_TEXT.length() + 1)
                .substring(0, options.promptTokens() - 1);
        Generator.Response response = model.generate(UUID.randomUUID(), PromptContext.of(text), 0.0f,
                options.promptTokens() + options.newTokens(), (token, millis) -> { });
        System.out.printf(Locale.ROOT,
                "jlama_generate prompt_tokens=%d prompt_ms=%d generated_tokens=%d generate_ms=%d finish=%s "
                        + "prefill_tps=%.2f decode_tps=%.2f%n",
                response.promptTokens, response.promptTimeMs, response.generatedTokens, response.generateTimeMs,
                response.finishReason, response.promptTokens * 1e3 / response.promptTimeMs,
                response.generatedTokens * 1e3 / response.generateTimeMs);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
