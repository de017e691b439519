// A loaded language model: tokenizer, resident weights and the forward pass, with generation and scoring.
package io.synod.solvers.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.synod.adapters.lora.BaseModelShape;
import io.synod.adapters.lora.LoraAdapter;
import io.synod.adapters.lora.ModuleShape;
import io.synod.adapters.safetensors.Checkpoint;
import io.synod.adapters.store.AdapterStore;
import io.synod.solvers.lora.AdapterMix;
import io.synod.solvers.lora.LoraBatch;
import io.synod.solvers.lora.Projection;
import io.synod.solvers.lora.ResidentAdapter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Llama-family model loaded from a HuggingFace directory ({@code config.json}, safetensors weights,
 * {@code tokenizer.json}). Weights belong to the model; every call scopes its arrays in a sub-manager that
 * is closed before it returns, so calls do not grow native memory.
 *
 * <p>Thread-safety: calls may come from several threads; each runs its own forward passes over the shared,
 * read-only weights. {@link #close()} must not race with calls.
 */
public final class LanguageModel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LanguageModel.class);

    private final Path directory;
    private final ModelConfig config;
    private final TextTokenizer tokenizer;
    private final NDManager manager;
    private final DataType dataType;
    private final Transformer transformer;
    private final int contextLength;
    private final VectorDecoder decoder;   // one-sequence decoding off PyTorch, or null where it does not apply
    private volatile ResidentAdapter merged;
    private volatile EmbeddingTable embeddingTable;   // the router's layer-0 states off PyTorch, made on first use

    private LanguageModel(Path directory, ModelConfig config, TextTokenizer tokenizer, NDManager manager,
                          DataType dataType, TransformerWeights weights, int contextLength, int threads) {
        this.directory = directory;
        this.config = config;
        this.tokenizer = tokenizer;
        this.manager = manager;
        this.dataType = dataType;
        this.contextLength = contextLength;
        RotaryEmbedding rotary = new RotaryEmbedding(config, contextLength, manager);
        this.transformer = new Transformer(weights, rotary);
        this.decoder = VectorDecoder.createIfSupported(weights, rotary,
                threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
    }

    /** Loads a model directory; errors name the file and key that are wrong. */
    public static LanguageModel load(Path directory, RuntimeOptions options) {
        if (!Files.isDirectory(directory)) {
            throw new ModelFormatException(directory, null, "is not a model directory");
        }
        ModelConfig config = ModelConfig.read(directory.resolve("config.json"));
        TextTokenizer tokenizer = TextTokenizer.load(directory.resolve("tokenizer.json"), config.vocabularySize());
        Device device = chooseDevice(options);
        // f32 on the CPU; on a GPU the checkpoint's own dtype
        DataType dataType = device.isGpu() ? computeTypeOf(config.torchDtype()) : DataType.FLOAT32;
        NDManager manager = Engine.getEngine("PyTorch").newBaseManager(device);
        long start = System.nanoTime();
        try (Checkpoint checkpoint = Checkpoint.open(directory)) {
            TransformerWeights weights = TransformerWeights.load(checkpoint, config, manager, dataType);
            int context = contextLength(config, options);
            LanguageModel model = new LanguageModel(directory, config, tokenizer, manager, dataType, weights, context,
                    options.threads());
            log.info("Loaded {} ({}) on {} in {} ms; one-sequence decoding on {}", directory, config, device,
                    (System.nanoTime() - start) / 1_000_000, model.decoder != null ? "the Vector API" : "PyTorch");
            return model;
        } catch (RuntimeException e) {
            manager.close();
            tokenizer.close();
            throw e;
        }
    }

    /**
     * A model with given weights (for training from scratch and for tests). Decoding on the CPU reads a copy of
     * them taken here: weights changed in place afterwards (other than by {@link #merge} and {@link #unmerge})
     * need a new model.
     */
    static LanguageModel of(Path directory, ModelConfig config, TextTokenizer tokenizer, NDManager manager,
                            TransformerWeights weights, RuntimeOptions options) {
        return new LanguageModel(directory, config, tokenizer, manager, DataType.FLOAT32, weights,
                contextLength(config, options), options.threads());
    }

    /**
     * The longest sequence a call may use. Mistral's sliding-window attention equals full attention up to
     * the window, so the context is capped at the window rather than attending beyond it wrongly.
     */
    private static int contextLength(ModelConfig config, RuntimeOptions options) {
        int length = options.contextLength() > 0 ? options.contextLength() : Math.min(config.maxPositionEmbeddings(), 4096);
        return config.slidingWindow() > 0 ? Math.min(length, config.slidingWindow()) : length;
    }

    private static Device chooseDevice(RuntimeOptions options) {
        Engine engine = Engine.getEngine("PyTorch");
        if (options.threads() > 0) {
            JniUtils.setNumThreads(options.threads());
        }
        boolean gpu = engine.getGpuCount() > 0;
        return switch (options.device()) {
            case CPU -> Device.cpu();
            case GPU -> {
                if (!gpu) {
                    throw new IllegalStateException("a GPU was asked for, but the PyTorch engine sees none");
                }
                yield Device.gpu();
            }
            case AUTO -> gpu ? Device.gpu() : Device.cpu();
        };
    }

    private static DataType computeTypeOf(String torchDtype) {
        return switch (torchDtype) {
            // DJL's PyTorch JNI aborts the JVM on any BFLOAT16 array, so bf16 checkpoints compute in float32
            case "bfloat16" -> DataType.FLOAT32;
            case "float16" -> DataType.FLOAT16;
            default -> DataType.FLOAT32;
        };
    }

    public ModelConfig config() {
        return config;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    public Path directory() {
        return directory;
    }

    public int contextLength() {
        return contextLength;
    }

    public Device device() {
        return manager.getDevice();
    }

    TransformerWeights weights() {
        return transformer.weights();
    }

    /** Generates a continuation of each prompt; the prompts run as one batch. */
    public List<GenerationResult> generate(List<String> prompts, GenerationOptions options) {
        return generate(prompts, options, TokenListener.NONE);
    }

    /** As {@link #generate(List, GenerationOptions)}, telling {@code listener} each piece of text as it comes. */
    public List<GenerationResult> generate(List<String> prompts, GenerationOptions options, TokenListener listener) {
        return generate(prompts, none(prompts.size()), options, listener);
    }

    /**
     * Generates with adapters: prompt i applies {@code adapters.get(i)} (unmerged, in the same batch as the
     * others, whatever adapters they use).
     */
    public List<GenerationResult> generate(List<String> prompts, List<AdapterMix> adapters, GenerationOptions options,
                                           TokenListener listener) {
        if (prompts.isEmpty()) {
            return List.of();
        }
        List<int[]> encoded = new ArrayList<>();
        for (String prompt : prompts) {
            int[] ids = tokenizer.encode(prompt);
            if (ids.length == 0) {
                throw new IllegalArgumentException("prompt " + encoded.size() + " encodes to no tokens");
            }
            encoded.add(ids);
        }
        return generateTokens(encoded, adapters, options, listener);
    }

    /** Generation from token ids (the prompts of a batch may differ in length: they are left-padded). */
    public List<GenerationResult> generateTokens(List<int[]> prompts, GenerationOptions options, TokenListener listener) {
        return generateTokens(prompts, none(prompts.size()), options, listener);
    }

    /** Generation from token ids, prompt i applying {@code adapters.get(i)}. */
    public List<GenerationResult> generateTokens(List<int[]> prompts, List<AdapterMix> adapters, GenerationOptions options,
                                                 TokenListener listener) {
        int batch = prompts.size();
        if (adapters.size() != batch) {
            throw new IllegalArgumentException(batch + " prompts but " + adapters.size() + " adapter choices");
        }
        List<AdapterMix> applied = unmergedPart(adapters);
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        int capacity = longest + options.maxNewTokens();
        if (capacity > contextLength) {
            throw new IllegalArgumentException("prompt of " + longest + " tokens plus " + options.maxNewTokens()
                    + " new tokens exceeds the context length of " + contextLength);
        }
        int vocabulary = config.vocabularySize();
        int[] padding = new int[batch];
        for (int row = 0; row < batch; row++) {
            padding[row] = longest - prompts.get(row).length;
        }
        Sampler sampler = new Sampler(options);
        Generation[] generations = new Generation[batch];
        for (int row = 0; row < batch; row++) {
            generations[row] = new Generation(options.maxNewTokens());
        }
        long prefillNanos;
        long decodeStart;
        try (NDManager call = manager.newSubManager()) {
            KvCache cache = new KvCache(config, batch, capacity, call, dataType);
            LoraBatch lora = LoraBatch.of(applied, call);
            long start = System.nanoTime();
            float[] logits;
            try (NDManager step = call.newSubManager()) {
                long[] tokens = new long[batch * longest];
                long[] positions = new long[batch * longest];
                for (int row = 0; row < batch; row++) {
                    int[] prompt = prompts.get(row);
                    for (int t = 0; t < longest; t++) {
                        int index = t - padding[row];
                        tokens[row * longest + t] = index >= 0 ? prompt[index] : padToken();
                        positions[row * longest + t] = Math.max(0, index);
                    }
                }
                logits = nextTokenLogits(step, tokens, positions, prefillMask(padding, longest), batch, longest, cache, lora);
            }
            prefillNanos = System.nanoTime() - start;
            decodeStart = System.nanoTime();
            // decoding runs on float arrays (the cache taken over from the prefill) unless rows mix different adapters
            VectorDecoder.Cache arrayCache = decoder != null && (lora == null || lora.sharesOneMix())
                    ? new VectorDecoder.Cache(cache) : null;
            for (int produced = 0; produced < options.maxNewTokens(); produced++) {
                boolean anyActive = false;
                long[] next = new long[batch];
                for (int row = 0; row < batch; row++) {
                    Generation generation = generations[row];
                    if (generation.finished != null) {
                        next[row] = padToken();
                        continue;
                    }
                    if (options.constraint() != null) {
                        options.constraint().apply(generation.tokens, generation.count, logits, row * vocabulary, vocabulary);
                    }
                    int token = sampler.next(logits, row * vocabulary, vocabulary);
                    next[row] = token;
                    generation.accept(token, row, options, listener);
                    if (generation.finished == null && generation.count == options.maxNewTokens()) {
                        generation.finished = GenerationResult.FinishReason.LENGTH;
                    }
                    anyActive |= generation.finished == null;
                }
                if (!anyActive) {
                    break;
                }
                if (arrayCache != null) {
                    int[] tokens = new int[batch];
                    for (int row = 0; row < batch; row++) {
                        tokens[row] = (int) next[row];
                    }
                    logits = decoder.step(tokens, padding, arrayCache, lora);
                    continue;
                }
                int length = cache.length();
                long[] positions = new long[batch];
                for (int row = 0; row < batch; row++) {
                    positions[row] = length - padding[row];
                }
                try (NDManager step = call.newSubManager()) {
                    logits = nextTokenLogits(step, next, positions, decodeMask(padding, length + 1), batch, 1, cache, lora);
                }
            }
        }
        long decodeNanos = System.nanoTime() - decodeStart;
        List<GenerationResult> results = new ArrayList<>();
        for (int row = 0; row < batch; row++) {
            Generation generation = generations[row];
            GenerationResult.FinishReason reason = generation.finished == null
                    ? GenerationResult.FinishReason.LENGTH : generation.finished;
            results.add(new GenerationResult(generation.text, Arrays.copyOf(generation.tokens, generation.count),
                    reason, prompts.get(row).length, prefillNanos, decodeNanos));
        }
        return results;
    }

    private float[] nextTokenLogits(NDManager step, long[] tokens, long[] positions, float[] mask,
                                    int batch, int steps, KvCache cache, LoraBatch lora) {
        NDArray tokenArray = step.create(tokens, new Shape(batch, steps));
        NDArray positionArray = step.create(positions, new Shape(batch, steps));
        int keys = cache.length() + steps;
        NDArray maskArray = step.create(mask, new Shape(batch, 1, 1, steps, keys));
        if (dataType != DataType.FLOAT32) {
            maskArray = maskArray.toType(dataType, false);
        }
        NDArray logits = transformer.forward(tokenArray, positionArray, maskArray, cache, steps - 1, lora);
        return logits.toType(DataType.FLOAT32, false).toFloatArray();
    }

    /** Causal mask over a left-padded prompt; a padding position attends to itself only, so no row is empty. */
    static float[] prefillMask(int[] padding, int length) {
        float[] mask = new float[padding.length * length * length];
        Arrays.fill(mask, Float.NEGATIVE_INFINITY);
        for (int row = 0; row < padding.length; row++) {
            for (int query = 0; query < length; query++) {
                int base = (row * length + query) * length;
                if (query < padding[row]) {
                    mask[base + query] = 0;
                    continue;
                }
                for (int key = padding[row]; key <= query; key++) {
                    mask[base + key] = 0;
                }
            }
        }
        return mask;
    }

    /** One decoding step attends to every real (non-padding) key so far. */
    static float[] decodeMask(int[] padding, int keys) {
        float[] mask = new float[padding.length * keys];
        for (int row = 0; row < padding.length; row++) {
            Arrays.fill(mask, row * keys, row * keys + padding[row], Float.NEGATIVE_INFINITY);
        }
        return mask;
    }

    private int padToken() {
        return Math.max(config.eosTokenId(), 0);
    }

    /** The text and tokens generated for one prompt so far. */
    private final class Generation {
        int[] tokens;
        int count;
        String text = "";
        GenerationResult.FinishReason finished;

        Generation(int capacity) {
            tokens = new int[Math.max(capacity, 1)];
        }

        void accept(int token, int row, GenerationOptions options, TokenListener listener) {
            if (options.stopAtEos() && token == config.eosTokenId()) {
                finished = GenerationResult.FinishReason.END_OF_SEQUENCE;
                return;
            }
            tokens[count++] = token;
            String decoded = tokenizer.decode(Arrays.copyOf(tokens, count));
            if (decoded.endsWith("\uFFFD")) {
                return;   // an incomplete multi-byte character: wait for the next token
            }
            for (String stop : options.stopStrings()) {
                int at = decoded.indexOf(stop);
                if (at >= 0) {
                    decoded = decoded.substring(0, at);
                    finished = GenerationResult.FinishReason.STOP_STRING;
                    break;
                }
            }
            String added = decoded.startsWith(text) ? decoded.substring(text.length()) : decoded;
            text = decoded;
            if (!added.isEmpty()) {
                listener.onText(row, added);
            }
        }
    }

    /**
     * The log-likelihood of each continuation given the prompt, in one batched forward pass:
     * sum over the continuation's tokens of log p(token | prompt, earlier tokens).
     */
    public List<ContinuationScore> score(String prompt, List<String> continuations) {
        return score(prompt, continuations, AdapterMix.none());
    }

    /**
     * As {@link #score(String, List)}, with the continuations scored under {@code adapter}. The prompt runs
     * once; its keys and values are shared by every continuation (so choosing among many options costs one
     * prompt plus the options' own tokens).
     */
    public List<ContinuationScore> score(String prompt, List<String> continuations, AdapterMix adapter) {
        int[] promptIds = tokenizer.encode(prompt);
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("scoring needs a prompt of at least one token");
        }
        List<int[]> suffixes = new ArrayList<>();
        int longest = 0;
        for (String continuation : continuations) {
            int[] continuationIds = tokenizer.encodeContinuation(continuation);
            if (continuationIds.length == 0) {
                throw new IllegalArgumentException("continuation '" + continuation + "' encodes to no tokens");
            }
            suffixes.add(continuationIds);
            longest = Math.max(longest, continuationIds.length);
        }
        if (suffixes.isEmpty()) {
            return List.of();
        }
        if (promptIds.length + longest > contextLength) {
            throw new IllegalArgumentException("a scored row of " + (promptIds.length + longest)
                    + " tokens exceeds the context length of " + contextLength);
        }
        return scoreSharedPrompt(promptIds, suffixes, longest, adapter);
    }

    private List<ContinuationScore> scoreSharedPrompt(int[] promptIds, List<int[]> suffixes, int longest, AdapterMix adapter) {
        int batch = suffixes.size();
        int promptLength = promptIds.length;
        int vocabulary = config.vocabularySize();
        double[] sums = new double[batch];
        try (NDManager call = manager.newSubManager()) {
            // the prompt, once: [1, P] -> log p(first continuation token)
            KvCache single = new KvCache(config, 1, promptLength + longest, call, dataType);
            long[] tokens = new long[promptLength];
            long[] positions = new long[promptLength];
            for (int t = 0; t < promptLength; t++) {
                tokens[t] = promptIds[t];
                positions[t] = t;
            }
            float[] causal = new float[promptLength * promptLength];
            for (int query = 0; query < promptLength; query++) {
                Arrays.fill(causal, query * promptLength + query + 1, (query + 1) * promptLength, Float.NEGATIVE_INFINITY);
            }
            float[] first = logSoftmax(nextTokenLogits(call, tokens, positions, causal, 1, promptLength, single,
                    LoraBatch.of(unmergedPart(List.of(adapter)), call)), 0, vocabulary);
            for (int row = 0; row < batch; row++) {
                sums[row] = first[suffixes.get(row)[0]];
            }
            if (longest > 1) {
                // every continuation but its last token, right-padded, attending to the shared prompt: [B, L - 1]
                int steps = longest - 1;
                KvCache shared = single.repeated(batch, call);
                long[] rowTokens = new long[batch * steps];
                long[] rowPositions = new long[batch * steps];
                int keys = promptLength + steps;
                float[] mask = new float[batch * steps * keys];
                for (int row = 0; row < batch; row++) {
                    int[] suffix = suffixes.get(row);
                    for (int t = 0; t < steps; t++) {
                        rowTokens[row * steps + t] = t < suffix.length ? suffix[t] : padToken();
                        rowPositions[row * steps + t] = promptLength + t;
                        int base = (row * steps + t) * keys;
                        Arrays.fill(mask, base + promptLength + t + 1, base + keys, Float.NEGATIVE_INFINITY);
                    }
                }
                long[] targets = new long[batch * steps];
                for (int row = 0; row < batch; row++) {
                    int[] suffix = suffixes.get(row);
                    for (int t = 0; t + 1 < suffix.length; t++) {
                        targets[row * steps + t] = suffix[t + 1];
                    }
                }
                float[] logProbabilities = targetLogProbabilities(call, rowTokens, rowPositions, mask, targets, batch,
                        steps, shared, LoraBatch.of(unmergedPart(java.util.Collections.nCopies(batch, adapter)), call));
                for (int row = 0; row < batch; row++) {
                    for (int t = 0; t + 1 < suffixes.get(row).length; t++) {
                        sums[row] += logProbabilities[row * steps + t];
                    }
                }
            }
        }
        List<ContinuationScore> scores = new ArrayList<>();
        for (int row = 0; row < batch; row++) {
            scores.add(new ContinuationScore(sums[row], suffixes.get(row).length));
        }
        return scores;
    }

    /**
     * {@code log p(targets[b, t])} at every fed position, {@code [batch * steps]}, appending to {@code cache}: the
     * log-softmax and the pick stay on the engine, so only one number per position comes back.
     */
    private float[] targetLogProbabilities(NDManager step, long[] tokens, long[] positions, float[] mask, long[] targets,
                                           int batch, int steps, KvCache cache, LoraBatch lora) {
        NDArray tokenArray = step.create(tokens, new Shape(batch, steps));
        NDArray positionArray = step.create(positions, new Shape(batch, steps));
        NDArray maskArray = step.create(mask, new Shape(batch, 1, 1, steps, cache.length() + steps));
        if (dataType != DataType.FLOAT32) {
            maskArray = maskArray.toType(dataType, false);
        }
        NDArray targetArray = step.create(targets, new Shape(batch, steps, 1));
        return transformer.forward(tokenArray, positionArray, maskArray, cache, 0, lora)
                .toType(DataType.FLOAT32, false).logSoftmax(-1).gather(targetArray, 2).toFloatArray();
    }

    private static float[] logSoftmax(float[] logits, int offset, int size) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += Math.exp(logits[offset + i] - max);
        }
        double log = max + Math.log(sum);
        float[] result = new float[size];
        for (int i = 0; i < size; i++) {
            result[i] = (float) (logits[offset + i] - log);
        }
        return result;
    }

    /**
     * The token ids of each text as a continuation (no beginning-of-sequence token), for
     * {@link TokenConstraint#of}: {@code generate(..., options.withConstraint(...))} then writes one of them.
     */
    public TokenConstraint constraint(List<String> continuations) {
        List<int[]> encoded = new ArrayList<>();
        for (String continuation : continuations) {
            encoded.add(tokenizer.encodeContinuation(continuation));
        }
        return TokenConstraint.of(encoded, Math.max(config.eosTokenId(), 0));
    }

    /** Scores rows that share a prompt of {@code promptLength} tokens; the rest of each row is scored. */
    public List<ContinuationScore> scoreTokens(int promptLength, List<int[]> rows) {
        return scoreTokens(promptLength, rows, AdapterMix.none());
    }

    /** Scores rows under one adapter mix. */
    public List<ContinuationScore> scoreTokens(int promptLength, List<int[]> rows, AdapterMix adapter) {
        if (rows.isEmpty()) {
            return List.of();
        }
        if (promptLength < 1) {
            throw new IllegalArgumentException("scoring needs a prompt of at least one token");
        }
        int batch = rows.size();
        int longest = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        if (longest > contextLength) {
            throw new IllegalArgumentException("a scored row of " + longest + " tokens exceeds the context length of " + contextLength);
        }
        long[] tokens = new long[batch * longest];
        long[] positions = new long[batch * longest];
        long[] targets = new long[batch * longest];
        for (int row = 0; row < batch; row++) {
            int[] ids = rows.get(row);
            for (int t = 0; t < longest; t++) {
                tokens[row * longest + t] = t < ids.length ? ids[t] : padToken();
                positions[row * longest + t] = t;
                targets[row * longest + t] = t + 1 < ids.length ? ids[t + 1] : 0;
            }
        }
        // right padding: real tokens never attend to the padding after them, so the causal mask suffices
        float[] mask = new float[longest * longest];
        for (int query = 0; query < longest; query++) {
            Arrays.fill(mask, query * longest + query + 1, (query + 1) * longest, Float.NEGATIVE_INFINITY);
        }
        int first = promptLength - 1;
        float[] logProbabilities;
        try (NDManager call = manager.newSubManager()) {
            NDArray maskArray = call.create(mask, new Shape(1, 1, 1, longest, longest));
            if (dataType != DataType.FLOAT32) {
                maskArray = maskArray.toType(dataType, false);
            }
            LoraBatch lora = LoraBatch.of(unmergedPart(java.util.Collections.nCopies(batch, adapter)), call);
            NDArray logits = transformer.forward(call.create(tokens, new Shape(batch, longest)),
                    call.create(positions, new Shape(batch, longest)), maskArray, null, first, lora);
            // log p(target) at positions [first, longest): [B, longest - first]
            NDArray targetArray = call.create(targets, new Shape(batch, longest))
                    .get(new ai.djl.ndarray.index.NDIndex(":, {}:", first)).expandDims(2);
            logProbabilities = logits.toType(DataType.FLOAT32, false).logSoftmax(-1)
                    .gather(targetArray, 2).toFloatArray();
        }
        int width = longest - first;
        List<ContinuationScore> scores = new ArrayList<>();
        for (int row = 0; row < batch; row++) {
            int[] ids = rows.get(row);
            double sum = 0;
            for (int t = first; t < ids.length - 1; t++) {
                sum += logProbabilities[row * width + (t - first)];
            }
            scores.add(new ContinuationScore(sum, ids.length - promptLength));
        }
        return scores;
    }

    /** Log-likelihood of a continuation and the number of its tokens (for per-token averages and perplexity). */
    public record ContinuationScore(double logLikelihood, int tokens) {
        public double perplexity() {
            return Math.exp(-logLikelihood / tokens);
        }
    }

    /** Logits of every position of one token sequence, without cache: [T * vocab]. For tests and tools. */
    public float[] logits(int[] ids) {
        return logits(ids, AdapterMix.none());
    }

    /** Logits of every position under an adapter mix: [T * vocab]. */
    public float[] logits(int[] ids, AdapterMix adapter) {
        int length = ids.length;
        long[] tokens = new long[length];
        long[] positions = new long[length];
        for (int t = 0; t < length; t++) {
            tokens[t] = ids[t];
            positions[t] = t;
        }
        float[] mask = new float[length * length];
        for (int query = 0; query < length; query++) {
            Arrays.fill(mask, query * length + query + 1, (query + 1) * length, Float.NEGATIVE_INFINITY);
        }
        try (NDManager call = manager.newSubManager()) {
            NDArray maskArray = call.create(mask, new Shape(1, 1, 1, length, length));
            if (dataType != DataType.FLOAT32) {
                maskArray = maskArray.toType(dataType, false);
            }
            LoraBatch lora = LoraBatch.of(unmergedPart(List.of(adapter)), call);
            return transformer.forward(call.create(tokens, new Shape(1, length)), call.create(positions, new Shape(1, length)),
                    maskArray, null, 0, lora).toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    /**
     * The base model's mean-pooled last hidden state of each text (after the final RMSNorm, averaged over the
     * text's tokens, the beginning-of-sequence token included): the embedding an expert router compares. The
     * texts run as one right-padded batch with no adapter (a merged adapter is part of the weights, so it is
     * part of these states too).
     *
     * @return one {@code float[hiddenSize]} per text
     * @throws IllegalArgumentException when a text encodes to no tokens or exceeds the context length
     */
    public List<float[]> meanHiddenStates(List<String> texts) {
        return hiddenStates(texts, Pooling.MEAN);
    }

    /** How a text's last hidden states become one vector. */
    public enum Pooling {
        /** The mean over every token of the text. */
        MEAN,
        /** The state of the text's last token: it has attended to the whole text (a decoder's usual embedding). */
        LAST,
        /**
         * The mean over every token, then the mean over the last {@value LanguageModel#END_TOKENS} (or fewer): twice
         * the hidden size. A prompt's closing words ({@code QS:}, {@code Next:}, {@code Answer:}) name its task, and
         * in a mean over a long prompt they are lost among the question's words.
         */
        MEAN_AND_END;

        /** {@code mean}, {@code last}, {@code mean-and-end}: the name files use. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /** @throws IllegalArgumentException naming the poolings when {@code text} is none of them */
        public static Pooling parse(String text) {
            for (Pooling pooling : values()) {
                if (pooling.label().equals(text)) {
                    return pooling;
                }
            }
            throw new IllegalArgumentException("pooling '" + text + "'; expected mean, last or mean-and-end");
        }

        /** The length of a pooled state, for a model of {@code hidden} dimensions. */
        public int size(int hidden) {
            return this == MEAN_AND_END ? 2 * hidden : hidden;
        }
    }

    /** The closing tokens {@link Pooling#MEAN_AND_END} averages apart. */
    public static final int END_TOKENS = 4;

    /** Pools the {@code length} states of one text, {@code [length, hidden]} from {@code offset} of {@code states}. */
    static float[] pool(float[] states, int offset, int length, int hidden, Pooling pooling) {
        float[] result = new float[pooling.size(hidden)];
        if (pooling == Pooling.LAST) {
            System.arraycopy(states, offset + (length - 1) * hidden, result, 0, hidden);
            return result;
        }
        meanInto(states, offset, 0, length, hidden, result, 0);
        if (pooling == Pooling.MEAN_AND_END) {
            meanInto(states, offset, Math.max(0, length - END_TOKENS), length, hidden, result, hidden);
        }
        return result;
    }

    private static void meanInto(float[] states, int offset, int from, int to, int hidden, float[] out, int at) {
        for (int t = from; t < to; t++) {
            int base = offset + t * hidden;
            for (int h = 0; h < hidden; h++) {
                out[at + h] += states[base + h];
            }
        }
        for (int h = 0; h < hidden; h++) {
            out[at + h] /= to - from;
        }
    }

    /**
     * As {@link #meanHiddenStates}, pooled as {@code pooling} says.
     *
     * @return one {@code float[hiddenSize]} per text
     */
    public List<float[]> hiddenStates(List<String> texts, Pooling pooling) {
        return hiddenStates(texts, pooling, config.layers());
    }

    /**
     * As {@link #hiddenStates(List, Pooling)}, the states taken after the first {@code layers} decoder layers (0: the
     * token embeddings), normalised with the final RMSNorm: a router's cheaper state, a fraction of a forward pass.
     *
     * @throws IllegalArgumentException when {@code layers} is not within 0 and the model's layers
     */
    public List<float[]> hiddenStates(List<String> texts, Pooling pooling, int layers) {
        if (layers < 0 || layers > config.layers()) {
            throw new IllegalArgumentException("layers is " + layers + "; expected 0 to the model's " + config.layers());
        }
        if (layers == 0) {
            List<float[]> result = new ArrayList<>();
            for (String text : texts) {
                result.add(embeddingTable().state(encodeForState(text, result.size()), pooling));
            }
            return result;
        }
        return hiddenStatesOnTorch(texts, pooling, layers);
    }

    /** {@link #hiddenStates(List, Pooling, int)} with every layer count run by PyTorch (layer 0 included). */
    List<float[]> hiddenStatesOnTorch(List<String> texts, Pooling pooling, int layers) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<int[]> rows = new ArrayList<>();
        int longest = 0;
        for (String text : texts) {
            int[] ids = tokenizer.encode(text);
            if (ids.length == 0) {
                throw new IllegalArgumentException("text " + rows.size() + " encodes to no tokens");
            }
            if (ids.length > contextLength) {
                throw new IllegalArgumentException("a text of " + ids.length + " tokens exceeds the context length of "
                        + contextLength);
            }
            rows.add(ids);
            longest = Math.max(longest, ids.length);
        }
        int batch = rows.size();
        int hidden = config.hiddenSize();
        long[] tokens = new long[batch * longest];
        long[] positions = new long[batch * longest];
        for (int row = 0; row < batch; row++) {
            int[] ids = rows.get(row);
            for (int t = 0; t < longest; t++) {
                tokens[row * longest + t] = t < ids.length ? ids[t] : padToken();
                positions[row * longest + t] = t;
            }
        }
        // right padding: real tokens never attend to the padding after them, so the causal mask suffices
        float[] mask = new float[longest * longest];
        for (int query = 0; query < longest; query++) {
            Arrays.fill(mask, query * longest + query + 1, (query + 1) * longest, Float.NEGATIVE_INFINITY);
        }
        float[] states;
        try (NDManager call = manager.newSubManager()) {
            NDArray maskArray = call.create(mask, new Shape(1, 1, 1, longest, longest));
            if (dataType != DataType.FLOAT32) {
                maskArray = maskArray.toType(dataType, false);
            }
            // [B, T, H]
            states = transformer.hiddenStates(call.create(tokens, new Shape(batch, longest)),
                    call.create(positions, new Shape(batch, longest)), maskArray, layers).toType(DataType.FLOAT32, false)
                    .toFloatArray();
        }
        List<float[]> pooled = new ArrayList<>();
        for (int row = 0; row < batch; row++) {
            pooled.add(pool(states, row * longest * hidden, rows.get(row).length, hidden, pooling));
        }
        return pooled;
    }

    private int[] encodeForState(String text, int index) {
        int[] ids = tokenizer.encode(text);
        if (ids.length == 0) {
            throw new IllegalArgumentException("text " + index + " encodes to no tokens");
        }
        if (ids.length > contextLength) {
            throw new IllegalArgumentException("a text of " + ids.length + " tokens exceeds the context length of "
                    + contextLength);
        }
        return ids;
    }

    private EmbeddingTable embeddingTable() {
        EmbeddingTable table = embeddingTable;
        if (table == null) {
            synchronized (this) {
                table = embeddingTable;
                if (table == null) {
                    table = new EmbeddingTable(transformer.weights().embedding().toType(DataType.FLOAT32, false)
                            .toFloatArray(), transformer.weights().finalNorm().toType(DataType.FLOAT32, false)
                            .toFloatArray(), config.hiddenSize(), config.rmsNormEpsilon());
                    embeddingTable = table;
                }
            }
        }
        return table;
    }

    /**
     * The token embeddings and the final RMSNorm's weights as Java arrays: a layer-0 state costs a table lookup
     * per token and no call into PyTorch (about a megabyte for the default model, copied once).
     */
    private record EmbeddingTable(float[] rows, float[] norm, int hidden, double epsilon) {

        /** rmsnorm(embed(ids)) * norm, pooled: what {@link Transformer#hiddenStates} gives after no layer. */
        float[] state(int[] ids, Pooling pooling) {
            // [T, H]
            float[] states = new float[ids.length * hidden];
            for (int t = 0; t < ids.length; t++) {
                int base = ids[t] * hidden;
                double squares = 0;
                for (int h = 0; h < hidden; h++) {
                    squares += (double) rows[base + h] * rows[base + h];
                }
                float inverse = (float) (1 / Math.sqrt(squares / hidden + epsilon));
                for (int h = 0; h < hidden; h++) {
                    states[t * hidden + h] = rows[base + h] * inverse * norm[h];
                }
            }
            return pool(states, 0, ids.length, hidden, pooling);
        }
    }

    /** {@link #meanHiddenStates} of one text. */
    public float[] meanHiddenState(String text) {
        return meanHiddenStates(List.of(text)).get(0);
    }

    private static List<AdapterMix> none(int rows) {
        return java.util.Collections.nCopies(rows, AdapterMix.none());
    }

    /** The module shapes an adapter must match: q/k/v/o and gate/up/down of every layer. */
    public BaseModelShape shape() {
        Map<String, ModuleShape> modules = new LinkedHashMap<>();
        int hidden = config.hiddenSize();
        int query = config.attentionHeads() * config.headDimension();
        int keyValue = config.keyValueHeads() * config.headDimension();
        int intermediate = config.intermediateSize();
        for (int layer = 0; layer < config.layers(); layer++) {
            String prefix = "model.layers." + layer + ".";
            modules.put(prefix + "self_attn.q_proj", new ModuleShape(hidden, query));
            modules.put(prefix + "self_attn.k_proj", new ModuleShape(hidden, keyValue));
            modules.put(prefix + "self_attn.v_proj", new ModuleShape(hidden, keyValue));
            modules.put(prefix + "self_attn.o_proj", new ModuleShape(query, hidden));
            modules.put(prefix + "mlp.gate_proj", new ModuleShape(hidden, intermediate));
            modules.put(prefix + "mlp.up_proj", new ModuleShape(hidden, intermediate));
            modules.put(prefix + "mlp.down_proj", new ModuleShape(intermediate, hidden));
        }
        Map<String, ModuleShape> view = java.util.Collections.unmodifiableMap(modules);
        return () -> view;
    }

    /** Validates an adapter against this model (rank at most {@code maxRank}) and puts it on the model's device. */
    public ResidentAdapter materialise(LoraAdapter adapter, int maxRank) {
        adapter.validate(shape(), maxRank);
        return ResidentAdapter.materialise(adapter, config, manager);
    }

    /**
     * An adapter store over a catalogue directory (one PEFT adapter per sub-directory) whose adapters are
     * validated against this model (rank at most {@code maxRank}) and made resident on its device, within
     * {@code byteBudget} bytes, least recently used evicted first.
     */
    public AdapterStore<ResidentAdapter> adapterStore(Path catalogue, long byteBudget, int maxRank) {
        return new AdapterStore<>(catalogue, byteBudget, adapter -> adapter.validate(shape(), maxRank),
                adapter -> ResidentAdapter.materialise(adapter, config, manager));
    }

    /**
     * Merges an adapter into the base weights (W += s B A) for single-adapter serving. While merged, every
     * request must name this adapter alone, and gets it without the unmerged update's cost.
     */
    public synchronized void merge(ResidentAdapter adapter) {
        if (merged != null) {
            throw new IllegalStateException("adapter '" + merged.name() + "' is already merged; unmerge it first");
        }
        addToWeights(adapter, 1f);
        merged = adapter;
    }

    /** Takes the merged adapter back out of the base weights (W -= s B A). */
    public synchronized void unmerge() {
        if (merged == null) {
            throw new IllegalStateException("no adapter is merged");
        }
        addToWeights(merged, -1f);
        merged = null;
    }

    /** The adapter merged into the weights, or null. */
    public ResidentAdapter merged() {
        return merged;
    }

    private void addToWeights(ResidentAdapter adapter, float sign) {
        try (NDManager scratch = manager.newSubManager()) {
            for (int layer = 0; layer < config.layers(); layer++) {
                TransformerWeights.Layer weights = transformer.weights().layers().get(layer);
                for (Projection projection : Projection.values()) {
                    ResidentAdapter.Factors factors = adapter.factors(layer, projection);
                    if (factors == null) {
                        continue;
                    }
                    NDArray update = factors.up().matMul(factors.down());   // [out, in]
                    update.attach(scratch);
                    NDArray weight = switch (projection) {
                        case QUERY_KEY_VALUE -> weights.queryKeyValue();
                        case OUTPUT -> weights.output();
                        case GATE_UP -> weights.gateUp();
                        case DOWN -> weights.down();
                    };
                    if (sign > 0) {
                        weight.addi(update.toType(weight.getDataType(), false));
                    } else {
                        weight.subi(update.toType(weight.getDataType(), false));
                    }
                }
            }
        }
        if (decoder != null) {
            decoder.refresh();
        }
    }

    /** The rows' mixes with the merged adapter taken out (it is in the weights already). */
    private List<AdapterMix> unmergedPart(List<AdapterMix> rows) {
        ResidentAdapter inWeights = merged;
        if (inWeights == null) {
            return rows;
        }
        List<AdapterMix> rest = new ArrayList<>();
        for (AdapterMix mix : rows) {
            if (mix.parts().size() != 1 || mix.parts().get(0).adapter() != inWeights || mix.parts().get(0).weight() != 1f) {
                throw new IllegalStateException("adapter '" + inWeights.name() + "' is merged into the weights, so this model"
                        + " serves only requests for it; this request asks for " + mix.describe() + " (unmerge first)");
            }
            rest.add(AdapterMix.none());
        }
        return rest;
    }

    @Override
    public void close() {
        if (decoder != null) {
            decoder.close();
        }
        manager.close();
        tokenizer.close();
    }
}
