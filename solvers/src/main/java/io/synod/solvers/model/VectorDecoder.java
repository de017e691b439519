// One-token decoding of one sequence in plain Java over float arrays, with Vector API matrix-vector products.
package io.synod.solvers.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.synod.solvers.lora.LoraBatch;
import io.synod.solvers.lora.Projection;
import java.util.List;

/**
 * The decode step of {@link Transformer#forward} for a batch of one, written as llama3.java writes it: each
 * step of the forward pass on float arrays, every matrix-vector product split by rows across
 * {@link ParallelRows}. PyTorch's batch-one {@code linear} streams weights at about 13 GB/s on one core and does
 * not split small products across cores; this path reaches the machine's bandwidth and has no per-operation
 * JNI call. Prefill, batches, scoring and training stay on PyTorch.
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

    /** Keys and values of one sequence, per layer {@code [kvHeads, capacity, headDim]}, taken over from a prefill. */
    static final class Cache {
        final float[][] keys;
        final float[][] values;
        final int capacity;
        int length;

        /** The first {@code length} slots of row 0 of a PyTorch cache (batch one), with room for its capacity. */
        Cache(KvCache prefilled) {
            keys = new float[prefilled.layers()][];
            values = new float[prefilled.layers()][];
            for (int layer = 0; layer < keys.length; layer++) {
                keys[layer] = prefilled.keysOfLayer(layer).toFloatArray();
                values[layer] = prefilled.valuesOfLayer(layer).toFloatArray();
            }
            capacity = prefilled.capacity();
            length = prefilled.length();
        }
    }

    /**
     * Runs {@code token} at the cache's next position, appends its keys and values, and returns the logits.
     *
     * @param lora the call's low-rank updates (every row the same mix), or null
     * @return [vocab] logits
     */
    float[] step(int token, Cache cache, LoraBatch lora) {
        Copy w = copy;
        int hidden = config.hiddenSize();
        int heads = config.attentionHeads();
        int keyValueHeads = config.keyValueHeads();
        int headDim = config.headDimension();
        int groups = config.queriesPerKeyValue();
        int intermediate = config.intermediateSize();
        int fusedWidth = (heads + 2 * keyValueHeads) * headDim;
        int position = cache.length;
        if (position >= cache.capacity) {
            throw new IllegalStateException("KV cache full: " + position + " + 1 > " + cache.capacity);
        }
        float[] x = new float[hidden];
        System.arraycopy(w.embedding(), token * hidden, x, 0, hidden);   // x = embed(token): [H]
        float[] normed = new float[hidden];
        float[] fused = new float[fusedWidth];
        float[] attended = new float[heads * headDim];
        float[] projected = new float[hidden];
        float[] gateUp = new float[2 * intermediate];
        float[] activated = new float[intermediate];
        float[] scores = new float[position + 1];
        for (int layer = 0; layer < config.layers(); layer++) {
            // x = x + attention(rmsnorm(x))
            rmsNorm(x, w.attentionNorm()[layer], normed);
            // q, k, v as heads of one projection: Wqkv x + b: [heads + 2 kv, D]
            multiply(w.queryKeyValue()[layer], fusedWidth, hidden, normed, fused, lora, layer, Projection.QUERY_KEY_VALUE);
            float[] bias = w.queryKeyValueBias()[layer];
            if (bias != null) {
                for (int i = 0; i < fusedWidth; i++) {
                    fused[i] += bias[i];
                }
            }
            // rope on the q and k heads (q also scaled by 1/sqrt(D)); k and v into the cache at this position
            for (int head = 0; head < heads + keyValueHeads; head++) {
                rotate(fused, head * headDim, position, head < heads ? attentionScale : 1f);
            }
            float[] keys = cache.keys[layer];
            float[] values = cache.values[layer];
            for (int kv = 0; kv < keyValueHeads; kv++) {
                int slot = (kv * cache.capacity + position) * headDim;
                System.arraycopy(fused, (heads + kv) * headDim, keys, slot, headDim);
                System.arraycopy(fused, (heads + keyValueHeads + kv) * headDim, values, slot, headDim);
            }
            // per query head: softmax(q k^T) v over positions [0, position], its kv head shared by `groups` heads
            for (int head = 0; head < heads; head++) {
                int query = head * headDim;
                int kvBase = (head / groups) * cache.capacity * headDim;
                // scores = K q over the filled slots: [position + 1]
                MatrixVectorKernel.multiply(keys, kvBase, headDim, fused, query, scores, 0, 0, position + 1);
                float max = Float.NEGATIVE_INFINITY;
                for (int t = 0; t <= position; t++) {
                    max = Math.max(max, scores[t]);
                }
                float sum = 0;
                for (int t = 0; t <= position; t++) {
                    scores[t] = (float) Math.exp(scores[t] - max);
                    sum += scores[t];
                }
                int out = head * headDim;
                java.util.Arrays.fill(attended, out, out + headDim, 0f);
                for (int t = 0; t <= position; t++) {
                    MatrixVectorKernel.addScaled(attended, out, scores[t] / sum, values, kvBase + t * headDim, headDim);
                }
            }
            // x = x + Wo out: [H]
            multiply(w.output()[layer], hidden, heads * headDim, attended, projected, lora, layer, Projection.OUTPUT);
            for (int i = 0; i < hidden; i++) {
                x[i] += projected[i];
            }
            // x = x + Wdown (silu(gate) * up), gate and up from one fused product: [2I]
            rmsNorm(x, w.feedForwardNorm()[layer], normed);
            multiply(w.gateUp()[layer], 2 * intermediate, hidden, normed, gateUp, lora, layer, Projection.GATE_UP);
            for (int i = 0; i < intermediate; i++) {
                float gate = gateUp[i];
                activated[i] = gate / (1f + (float) Math.exp(-gate)) * gateUp[intermediate + i];
            }
            multiply(w.down()[layer], hidden, intermediate, activated, projected, lora, layer, Projection.DOWN);
            for (int i = 0; i < hidden; i++) {
                x[i] += projected[i];
            }
        }
        cache.length = position + 1;
        // logits = head rmsnorm(x): [V]
        rmsNorm(x, w.finalNorm(), normed);
        int vocabulary = config.vocabularySize();
        float[] logits = new float[vocabulary];
        parallel.run(vocabulary, hidden, (first, last) ->
                MatrixVectorKernel.multiply(w.head(), hidden, normed, logits, first, last));
        return logits;
    }

    /** y = W x (+ the low-rank update of this projection), W [rows, columns]. */
    private void multiply(float[] weight, int rows, int columns, float[] x, float[] y, LoraBatch lora, int layer,
                          Projection projection) {
        parallel.run(rows, columns, (first, last) -> MatrixVectorKernel.multiply(weight, columns, x, y, first, last));
        if (lora == null) {
            return;
        }
        float[][] factors = lora.sharedFactors(layer, projection);
        if (factors == null) {
            return;
        }
        // y += B (A x): A [R, in], B [out, R]
        float[] down = factors[0];
        float[] up = factors[1];
        int rank = down.length / columns;
        float[] low = new float[rank];
        MatrixVectorKernel.multiply(down, columns, x, low, 0, rank);
        float[] update = new float[rows];
        MatrixVectorKernel.multiply(up, rank, low, update, 0, rows);
        for (int i = 0; i < rows; i++) {
            y[i] += update[i];
        }
    }

    /** x / sqrt(mean(x^2) + eps) * weight, into {@code out}. */
    private void rmsNorm(float[] x, float[] weight, float[] out) {
        float squares = 0;
        for (float value : x) {
            squares += value * value;
        }
        float rms = (float) Math.sqrt(squares / x.length + (float) config.rmsNormEpsilon());
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] / rms * weight[i];
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
