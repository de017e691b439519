// Decoding, one token per row, in plain Java over float arrays, with Vector API matrix-vector products.
package io.synod.solvers.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.synod.solvers.lora.LoraBatch;
import io.synod.solvers.lora.Projection;
import java.util.List;

/**
 * The decode step of {@link Transformer#forward} (one new token per row, with the cache), written as llama3.java
 * writes it: each step of the forward pass on float arrays, every matrix product split by weight rows across
 * {@link ParallelRows}. PyTorch's batch-one {@code linear} streams weights at about 13 GB/s on one core and does
 * not split small products across cores; this path reaches the machine's bandwidth and has no per-operation
 * JNI call. Prefill, scoring and training stay on PyTorch, and so do batches whose rows mix different adapters.
 *
 * <p>The weights are copied once into Java float arrays (4 bytes per parameter on the heap, beside PyTorch's
 * copy); {@link #refresh()} copies them again after they change in place (merging an adapter).
 * Thread-safe: a step reads only the weights and its own {@link Cache}.
 */
final class VectorDecoder implements AutoCloseable {
    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !Boolean.getBoolean("synod.decode.torch");

    private final ModelConfig config;
    private final TransformerWeights weights;
    private final ParallelRows parallel;
    private final float[] cos;         // [context, headDim]
    private final float[] signedSin;   // [context, headDim]
    private final float attentionScale;
    private volatile Copy copy;

    /** The weights as float arrays, row-major [out, in] as PyTorch holds them. */
    private record Copy(float[] embedding, float[][] attentionNorm, float[][] queryKeyValue, float[][] queryKeyValueBias,
                        float[][] output, float[][] feedForwardNorm, float[][] gateUp, float[][] down,
                        float[] finalNorm, float[] head) {
    }

    VectorDecoder(TransformerWeights weights, RotaryEmbedding rotary, ParallelRows parallel) {
        this.config = weights.config();
        this.weights = weights;
        this.parallel = parallel;
        this.cos = rotary.cos.toFloatArray();
        this.signedSin = rotary.signedSin.toFloatArray();
        this.attentionScale = (float) (1.0 / Math.sqrt(config.headDimension()));
        refresh();
    }

    /** Whether the Vector API is in this JVM ({@code --add-modules jdk.incubator.vector}) and not turned off. */
    static boolean available() {
        return AVAILABLE;
    }

    /**
     * A decoder over {@code weights} when this path applies: the Vector API is present, the weights are float32
     * on the CPU, and their copy fits in half of the heap. Null otherwise (decoding stays on PyTorch).
     */
    static VectorDecoder createIfSupported(TransformerWeights weights, RotaryEmbedding rotary, int threads) {
        if (!AVAILABLE || weights.embedding().getDataType() != DataType.FLOAT32
                || weights.embedding().getDevice().isGpu()) {
            return null;
        }
        long bytes = 0;
        for (NDArray array : weights.parameters()) {
            bytes += 4 * array.size();
        }
        if (bytes > Runtime.getRuntime().maxMemory() / 2) {
            return null;
        }
        return new VectorDecoder(weights, rotary, new ParallelRows(threads));
    }

    /** Copies the weights again, after they were changed in place. */
    void refresh() {
        List<TransformerWeights.Layer> layers = weights.layers();
        int count = layers.size();
        float[][] attentionNorm = new float[count][];
        float[][] queryKeyValue = new float[count][];
        float[][] queryKeyValueBias = new float[count][];
        float[][] output = new float[count][];
        float[][] feedForwardNorm = new float[count][];
        float[][] gateUp = new float[count][];
        float[][] down = new float[count][];
        for (int i = 0; i < count; i++) {
            TransformerWeights.Layer layer = layers.get(i);
            attentionNorm[i] = layer.attentionNorm().toFloatArray();
            queryKeyValue[i] = layer.queryKeyValue().toFloatArray();
            queryKeyValueBias[i] = layer.queryKeyValueBias() == null ? null : layer.queryKeyValueBias().toFloatArray();
            output[i] = layer.output().toFloatArray();
            feedForwardNorm[i] = layer.feedForwardNorm().toFloatArray();
            gateUp[i] = layer.gateUp().toFloatArray();
            down[i] = layer.down().toFloatArray();
        }
        float[] embedding = weights.embedding().toFloatArray();
        float[] head = weights.head() == weights.embedding() ? embedding : weights.head().toFloatArray();
        copy = new Copy(embedding, attentionNorm, queryKeyValue, queryKeyValueBias, output, feedForwardNorm, gateUp,
                down, weights.finalNorm().toFloatArray(), head);
    }

    /**
     * Keys and values of a batch, per layer {@code [batch, kvHeads, capacity, headDim]} as {@link KvCache} holds
     * them, taken over from a prefill. Rows share one length (prompts are left-padded).
     */
    static final class Cache {
        final float[][] keys;
        final float[][] values;
        final int batch;
        final int capacity;
        int length;

        /** The filled slots of a PyTorch cache, with room for its capacity. */
        Cache(KvCache prefilled) {
            keys = new float[prefilled.layers()][];
            values = new float[prefilled.layers()][];
            for (int layer = 0; layer < keys.length; layer++) {
                keys[layer] = prefilled.keysOfLayer(layer).toFloatArray();
                values[layer] = prefilled.valuesOfLayer(layer).toFloatArray();
            }
            batch = (int) prefilled.keysOfLayer(0).getShape().get(0);
            capacity = prefilled.capacity();
            length = prefilled.length();
        }
    }

    /** One sequence: {@link #step(int[], int[], Cache, LoraBatch)} with a batch of one and no padding. */
    float[] step(int token, Cache cache, LoraBatch lora) {
        return step(new int[] {token}, new int[1], cache, lora);
    }

    /**
     * Runs one token per row at the cache's next slot, appends their keys and values, and returns the logits.
     * Row {@code b} has {@code padding[b]} padding slots in front: its position is the slot minus its padding,
     * and it attends only to the slots after its padding, as {@link LanguageModel}'s decode mask says.
     *
     * @param lora the call's low-rank updates, every row applying the same mix; or null
     * @return [batch, vocab] logits
     */
    float[] step(int[] tokens, int[] padding, Cache cache, LoraBatch lora) {
        Copy w = copy;
        int batch = tokens.length;
        int hidden = config.hiddenSize();
        int heads = config.attentionHeads();
        int keyValueHeads = config.keyValueHeads();
        int headDim = config.headDimension();
        int groups = config.queriesPerKeyValue();
        int intermediate = config.intermediateSize();
        int fusedWidth = (heads + 2 * keyValueHeads) * headDim;
        int slot = cache.length;
        if (slot >= cache.capacity) {
            throw new IllegalStateException("KV cache full: " + slot + " + 1 > " + cache.capacity);
        }
        if (batch != cache.batch) {
            throw new IllegalArgumentException(batch + " tokens for a cache of " + cache.batch + " rows");
        }
        // x = embed(tokens): [B, H]
        float[] x = new float[batch * hidden];
        for (int row = 0; row < batch; row++) {
            System.arraycopy(w.embedding(), tokens[row] * hidden, x, row * hidden, hidden);
        }
        float[] normed = new float[batch * hidden];
        float[] fused = new float[batch * fusedWidth];
        float[] attended = new float[batch * heads * headDim];
        float[] projected = new float[batch * hidden];
        float[] gateUp = new float[batch * 2 * intermediate];
        float[] activated = new float[batch * intermediate];
        float[] scores = new float[slot + 1];
        int rowCache = keyValueHeads * cache.capacity * headDim;   // floats of one row of a layer's cache
        for (int layer = 0; layer < config.layers(); layer++) {
            // x = x + attention(rmsnorm(x))
            rmsNorm(x, w.attentionNorm()[layer], normed, batch);
            // q, k, v as heads of one projection: Wqkv x + b: [B, heads + 2 kv, D]
            multiply(w.queryKeyValue()[layer], fusedWidth, hidden, normed, fused, batch, lora, layer,
                    Projection.QUERY_KEY_VALUE);
            float[] bias = w.queryKeyValueBias()[layer];
            float[] keys = cache.keys[layer];
            float[] values = cache.values[layer];
            for (int row = 0; row < batch; row++) {
                int base = row * fusedWidth;
                if (bias != null) {
                    for (int i = 0; i < fusedWidth; i++) {
                        fused[base + i] += bias[i];
                    }
                }
                // rope on the q and k heads (q also scaled by 1/sqrt(D)); k and v into the cache at this slot
                int position = slot - padding[row];
                for (int head = 0; head < heads + keyValueHeads; head++) {
                    rotate(fused, base + head * headDim, position, head < heads ? attentionScale : 1f);
                }
                for (int kv = 0; kv < keyValueHeads; kv++) {
                    int at = row * rowCache + (kv * cache.capacity + slot) * headDim;
                    System.arraycopy(fused, base + (heads + kv) * headDim, keys, at, headDim);
                    System.arraycopy(fused, base + (heads + keyValueHeads + kv) * headDim, values, at, headDim);
                }
                // per query head: softmax(q k^T) v over slots [padding, slot], its kv head shared by `groups` heads
                int first = padding[row];
                int count = slot + 1 - first;
                for (int head = 0; head < heads; head++) {
                    int query = base + head * headDim;
                    int kvBase = row * rowCache + ((head / groups) * cache.capacity + first) * headDim;
                    // scores = K q over the row's filled slots: [count]
                    MatrixVectorKernel.multiply(keys, kvBase, headDim, fused, query, scores, 0, 0, count);
                    float max = Float.NEGATIVE_INFINITY;
                    for (int t = 0; t < count; t++) {
                        max = Math.max(max, scores[t]);
                    }
                    float sum = 0;
                    for (int t = 0; t < count; t++) {
                        scores[t] = (float) Math.exp(scores[t] - max);
                        sum += scores[t];
                    }
                    int out = (row * heads + head) * headDim;
                    java.util.Arrays.fill(attended, out, out + headDim, 0f);
                    for (int t = 0; t < count; t++) {
                        MatrixVectorKernel.addScaled(attended, out, scores[t] / sum, values, kvBase + t * headDim, headDim);
                    }
                }
            }
            // x = x + Wo out: [B, H]
            multiply(w.output()[layer], hidden, heads * headDim, attended, projected, batch, lora, layer, Projection.OUTPUT);
            for (int i = 0; i < batch * hidden; i++) {
                x[i] += projected[i];
            }
            // x = x + Wdown (silu(gate) * up), gate and up from one fused product: [B, 2I]
            rmsNorm(x, w.feedForwardNorm()[layer], normed, batch);
            multiply(w.gateUp()[layer], 2 * intermediate, hidden, normed, gateUp, batch, lora, layer, Projection.GATE_UP);
            for (int row = 0; row < batch; row++) {
                int in = row * 2 * intermediate;
                int out = row * intermediate;
                for (int i = 0; i < intermediate; i++) {
                    float gate = gateUp[in + i];
                    activated[out + i] = gate / (1f + (float) Math.exp(-gate)) * gateUp[in + intermediate + i];
                }
            }
            multiply(w.down()[layer], hidden, intermediate, activated, projected, batch, lora, layer, Projection.DOWN);
            for (int i = 0; i < batch * hidden; i++) {
                x[i] += projected[i];
            }
        }
        cache.length = slot + 1;
        // logits = head rmsnorm(x): [B, V]
        rmsNorm(x, w.finalNorm(), normed, batch);
        int vocabulary = config.vocabularySize();
        float[] logits = new float[batch * vocabulary];
        parallel.run(vocabulary, hidden * batch, (first, last) ->
                MatrixVectorKernel.multiplyRows(w.head(), hidden, normed, batch, logits, vocabulary, first, last));
        return logits;
    }

    /** Y = X W^T (+ the low-rank update of this projection): W [rows, columns], X [B, columns], Y [B, rows]. */
    private void multiply(float[] weight, int rows, int columns, float[] x, float[] y, int batch, LoraBatch lora,
                          int layer, Projection projection) {
        parallel.run(rows, columns * batch, (first, last) ->
                MatrixVectorKernel.multiplyRows(weight, columns, x, batch, y, rows, first, last));
        if (lora == null) {
            return;
        }
        float[][] factors = lora.sharedFactors(layer, projection);
        if (factors == null) {
            return;
        }
        // y += B (A x) per row: A [R, in], B [out, R]
        float[] down = factors[0];
        float[] up = factors[1];
        int rank = down.length / columns;
        float[] low = new float[rank];
        float[] update = new float[rows];
        for (int row = 0; row < batch; row++) {
            MatrixVectorKernel.multiply(down, 0, columns, x, row * columns, low, 0, 0, rank);
            MatrixVectorKernel.multiply(up, rank, low, update, 0, rows);
            for (int i = 0; i < rows; i++) {
                y[row * rows + i] += update[i];
            }
        }
    }

    /** Per row of {@code x} ([B, H]): x / sqrt(mean(x^2) + eps) * weight, into {@code out}. */
    private void rmsNorm(float[] x, float[] weight, float[] out, int batch) {
        int hidden = weight.length;
        for (int row = 0; row < batch; row++) {
            int base = row * hidden;
            float squares = 0;
            for (int i = 0; i < hidden; i++) {
                squares += x[base + i] * x[base + i];
            }
            float rms = (float) Math.sqrt(squares / hidden + (float) config.rmsNormEpsilon());
            for (int i = 0; i < hidden; i++) {
                out[base + i] = x[base + i] / rms * weight[i];
            }
        }
    }

    /** Rope on one head in place, as {@link RotaryEmbedding} lays it out: v * cos + swap_halves(v) * signedSin. */
    private void rotate(float[] vector, int offset, int position, float scale) {
        int dimension = config.headDimension();
        int half = dimension / 2;
        int row = position * dimension;
        for (int i = 0; i < half; i++) {
            float first = vector[offset + i];
            float second = vector[offset + half + i];
            vector[offset + i] = (first * cos[row + i] + second * signedSin[row + i]) * scale;
            vector[offset + half + i] = (second * cos[row + half + i] + first * signedSin[row + half + i]) * scale;
        }
    }

    @Override
    public void close() {
        parallel.close();
    }
}
