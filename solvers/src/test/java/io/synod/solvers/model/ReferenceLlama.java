// An independent reference forward pass of a HuggingFace Llama-family checkpoint in plain Java arrays, to
// check the DJL runtime against: written for clarity (one loop per formula), not for speed.
package io.synod.solvers.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synod.adapters.safetensors.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The forward pass of transformers' {@code LlamaForCausalLM} (and {@code MistralForCausalLM},
 * {@code Qwen2ForCausalLM}) over one sequence, in doubles. It shares nothing with the runtime under test
 * but the safetensors reader: it reads config.json itself, with transformers' defaults, and every weight by
 * its HuggingFace key through {@link Checkpoint#floats}, so it never sees the runtime's fused matrices.
 */
final class ReferenceLlama {
    private final int vocabularySize;
    private final int hiddenSize;
    private final int intermediateSize;
    private final int layers;
    private final int heads;
    private final int keyValueHeads;
    private final int headDimension;
    private final double rmsNormEpsilon;
    private final boolean queryKeyValueBias;
    private final boolean outputBias;
    private final boolean feedForwardBias;
    private final boolean tiedHead;
    private final double[] inverseFrequencies;   // [headDim / 2]
    private final Map<String, float[]> weights = new HashMap<>();

    private ReferenceLlama(Path directory, JsonNode config, Checkpoint checkpoint) {
        String modelType = config.get("model_type").asText();
        vocabularySize = config.get("vocab_size").asInt();
        hiddenSize = config.get("hidden_size").asInt();
        intermediateSize = config.get("intermediate_size").asInt();
        layers = config.get("num_hidden_layers").asInt();
        heads = config.get("num_attention_heads").asInt();
        keyValueHeads = config.path("num_key_value_heads").asInt(heads);
        headDimension = config.hasNonNull("head_dim") ? config.get("head_dim").asInt() : hiddenSize / heads;
        rmsNormEpsilon = config.path("rms_norm_eps").asDouble(1e-6);
        tiedHead = config.path("tie_word_embeddings").asBoolean(false);
        // Qwen2 always has q/k/v biases and no o_proj bias; Llama's attention_bias puts a bias on all four of
        // q, k, v and o, and its mlp_bias on gate, up and down; Mistral has none.
        switch (modelType) {
            case "qwen2" -> {
                queryKeyValueBias = true;
                outputBias = false;
                feedForwardBias = false;
            }
            case "llama" -> {
                queryKeyValueBias = config.path("attention_bias").asBoolean(false);
                outputBias = queryKeyValueBias;
                feedForwardBias = config.path("mlp_bias").asBoolean(false);
            }
            case "mistral" -> {
                queryKeyValueBias = false;
                outputBias = false;
                feedForwardBias = false;
            }
            default -> throw new IllegalArgumentException(directory + ": the reference knows no model_type " + modelType);
        }
        inverseFrequencies = inverseFrequencies(config);

        int queryWidth = heads * headDimension;
        int keyValueWidth = keyValueHeads * headDimension;
        read(checkpoint, "model.embed_tokens.weight", vocabularySize, hiddenSize);
        for (int layer = 0; layer < layers; layer++) {
            String prefix = "model.layers." + layer + ".";
            read(checkpoint, prefix + "input_layernorm.weight", hiddenSize);
            read(checkpoint, prefix + "self_attn.q_proj.weight", queryWidth, hiddenSize);
            read(checkpoint, prefix + "self_attn.k_proj.weight", keyValueWidth, hiddenSize);
            read(checkpoint, prefix + "self_attn.v_proj.weight", keyValueWidth, hiddenSize);
            read(checkpoint, prefix + "self_attn.o_proj.weight", hiddenSize, queryWidth);
            if (queryKeyValueBias) {
                read(checkpoint, prefix + "self_attn.q_proj.bias", queryWidth);
                read(checkpoint, prefix + "self_attn.k_proj.bias", keyValueWidth);
                read(checkpoint, prefix + "self_attn.v_proj.bias", keyValueWidth);
            }
            if (outputBias) {
                read(checkpoint, prefix + "self_attn.o_proj.bias", hiddenSize);
            }
            read(checkpoint, prefix + "post_attention_layernorm.weight", hiddenSize);
            read(checkpoint, prefix + "mlp.gate_proj.weight", intermediateSize, hiddenSize);
            read(checkpoint, prefix + "mlp.up_proj.weight", intermediateSize, hiddenSize);
            read(checkpoint, prefix + "mlp.down_proj.weight", hiddenSize, intermediateSize);
            if (feedForwardBias) {
                read(checkpoint, prefix + "mlp.gate_proj.bias", intermediateSize);
                read(checkpoint, prefix + "mlp.up_proj.bias", intermediateSize);
                read(checkpoint, prefix + "mlp.down_proj.bias", hiddenSize);
            }
        }
        read(checkpoint, "model.norm.weight", hiddenSize);
        if (!tiedHead) {
            read(checkpoint, "lm_head.weight", vocabularySize, hiddenSize);
        }
    }

    /** Reads config.json and the weights of a model directory (one file or shards). */
    static ReferenceLlama load(Path directory) throws IOException {
        JsonNode config = new ObjectMapper().readTree(directory.resolve("config.json").toFile());
        try (Checkpoint checkpoint = Checkpoint.open(directory)) {
            return new ReferenceLlama(directory, config, checkpoint);
        }
    }

    int vocabularySize() {
        return vocabularySize;
    }

    /**
     * inv_freq[i] = theta^(-2i/d), and with rope_scaling of type llama3: wavelengths 2 pi / inv_freq longer
     * than original / low_freq_factor are slowed down by factor, those shorter than original /
     * high_freq_factor are kept, and those in between mix the two with weight
     * smooth = (original / wavelength - low) / (high - low) on the kept frequency.
     */
    private double[] inverseFrequencies(JsonNode config) {
        double theta = config.path("rope_theta").asDouble(10000.0);
        double[] frequencies = new double[headDimension / 2];
        for (int i = 0; i < frequencies.length; i++) {
            frequencies[i] = 1.0 / Math.pow(theta, 2.0 * i / headDimension);
        }
        JsonNode scaling = config.get("rope_scaling");
        if (scaling == null || scaling.isNull()) {
            return frequencies;
        }
        String type = scaling.path("rope_type").asText(scaling.path("type").asText());
        if (!type.equals("llama3")) {
            throw new IllegalArgumentException("the reference knows rope_type llama3 only, got " + type);
        }
        double factor = scaling.get("factor").asDouble();
        double low = scaling.get("low_freq_factor").asDouble();
        double high = scaling.get("high_freq_factor").asDouble();
        double original = scaling.get("original_max_position_embeddings").asDouble();
        for (int i = 0; i < frequencies.length; i++) {
            double wavelength = 2 * Math.PI / frequencies[i];
            if (wavelength < original / high) {
                continue;                                   // high frequency: unchanged
            }
            if (wavelength > original / low) {
                frequencies[i] = frequencies[i] / factor;   // low frequency: slowed down
                continue;
            }
            double smooth = (original / wavelength - low) / (high - low);
            frequencies[i] = (1 - smooth) * frequencies[i] / factor + smooth * frequencies[i];
        }
        return frequencies;
    }

    private void read(Checkpoint checkpoint, String key, long... shape) {
        long[] stored = checkpoint.info(key).shape();
        if (!Arrays.equals(stored, shape)) {
            throw new IllegalStateException(key + " has shape " + Arrays.toString(stored) + ", the reference expects "
                    + Arrays.toString(shape));
        }
        weights.put(key, checkpoint.floats(key));
    }

    private float[] weight(String key) {
        return weights.get(key);
    }

    /** Logits at every position of {@code ids} under a causal mask, row-major: [T * vocab]. */
    float[] logits(int[] ids) {
        int length = ids.length;
        // x[t] = embed_tokens[ids[t]]: [T][H]
        double[][] x = new double[length][hiddenSize];
        float[] embedding = weight("model.embed_tokens.weight");
        for (int t = 0; t < length; t++) {
            for (int j = 0; j < hiddenSize; j++) {
                x[t][j] = embedding[ids[t] * hiddenSize + j];
            }
        }
        for (int layer = 0; layer < layers; layer++) {
            String prefix = "model.layers." + layer + ".";
            // x = x + o_proj(attention(input_layernorm(x)))
            double[][] normed = new double[length][];
            for (int t = 0; t < length; t++) {
                normed[t] = rmsNorm(x[t], weight(prefix + "input_layernorm.weight"));
            }
            double[][] attended = attention(prefix, normed);
            for (int t = 0; t < length; t++) {
                double[] output = linear(attended[t], prefix + "self_attn.o_proj", outputBias);
                add(x[t], output);
            }
            // x = x + down_proj(silu(gate_proj(h)) * up_proj(h)), h = post_attention_layernorm(x)
            for (int t = 0; t < length; t++) {
                double[] h = rmsNorm(x[t], weight(prefix + "post_attention_layernorm.weight"));
                double[] gate = linear(h, prefix + "mlp.gate_proj", feedForwardBias);
                double[] up = linear(h, prefix + "mlp.up_proj", feedForwardBias);
                double[] activated = new double[intermediateSize];
                for (int i = 0; i < intermediateSize; i++) {
                    activated[i] = silu(gate[i]) * up[i];
                }
                add(x[t], linear(activated, prefix + "mlp.down_proj", feedForwardBias));
            }
        }
        // logits = lm_head(norm(x)), lm_head being embed_tokens when tied
        float[] head = weight(tiedHead ? "model.embed_tokens.weight" : "lm_head.weight");
        float[] logits = new float[length * vocabularySize];
        for (int t = 0; t < length; t++) {
            double[] h = rmsNorm(x[t], weight("model.norm.weight"));
            for (int v = 0; v < vocabularySize; v++) {
                double sum = 0;
                for (int j = 0; j < hiddenSize; j++) {
                    sum += head[v * hiddenSize + j] * h[j];
                }
                logits[t * vocabularySize + v] = (float) sum;
            }
        }
        return logits;
    }

    /** Causal multi-head attention with grouped key/value heads; returns [T][heads * headDim] before o_proj. */
    private double[][] attention(String prefix, double[][] normed) {
        int length = normed.length;
        double[][] queries = new double[length][];
        double[][] keys = new double[length][];
        double[][] values = new double[length][];
        for (int t = 0; t < length; t++) {
            queries[t] = linear(normed[t], prefix + "self_attn.q_proj", queryKeyValueBias);
            keys[t] = linear(normed[t], prefix + "self_attn.k_proj", queryKeyValueBias);
            values[t] = linear(normed[t], prefix + "self_attn.v_proj", queryKeyValueBias);
            // the position of token t is t
            for (int h = 0; h < heads; h++) {
                rotate(queries[t], h * headDimension, t);
            }
            for (int h = 0; h < keyValueHeads; h++) {
                rotate(keys[t], h * headDimension, t);
            }
        }
        int queriesPerKeyValue = heads / keyValueHeads;
        double scale = 1.0 / Math.sqrt(headDimension);
        double[][] attended = new double[length][heads * headDimension];
        for (int t = 0; t < length; t++) {
            for (int h = 0; h < heads; h++) {
                int kv = h / queriesPerKeyValue;   // query head h reads key/value head h / (heads / kvHeads)
                // scores[s] = q_t . k_s / sqrt(d) for s <= t; softmax over s
                double[] scores = new double[t + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s <= t; s++) {
                    double dot = 0;
                    for (int d = 0; d < headDimension; d++) {
                        dot += queries[t][h * headDimension + d] * keys[s][kv * headDimension + d];
                    }
                    scores[s] = dot * scale;
                    max = Math.max(max, scores[s]);
                }
                double total = 0;
                for (int s = 0; s <= t; s++) {
                    scores[s] = Math.exp(scores[s] - max);
                    total += scores[s];
                }
                // out = sum_s softmax_s v_s
                for (int s = 0; s <= t; s++) {
                    for (int d = 0; d < headDimension; d++) {
                        attended[t][h * headDimension + d] += scores[s] / total * values[s][kv * headDimension + d];
                    }
                }
            }
        }
        return attended;
    }

    /**
     * Rotary embedding of one head in place, as transformers' apply_rotary_pos_emb:
     * x * cos + rotate_half(x) * sin, where cos and sin at index i use the angle position * inv_freq[i mod d/2]
     * and rotate_half(x) = cat(-x[d/2:], x[:d/2]).
     */
    private void rotate(double[] vector, int offset, int position) {
        int half = headDimension / 2;
        double[] x = Arrays.copyOfRange(vector, offset, offset + headDimension);
        for (int i = 0; i < headDimension; i++) {
            double angle = position * inverseFrequencies[i % half];
            double rotatedHalf = i < half ? -x[i + half] : x[i - half];
            vector[offset + i] = x[i] * Math.cos(angle) + rotatedHalf * Math.sin(angle);
        }
    }

    /** x / sqrt(mean(x^2) + eps) * weight. */
    private double[] rmsNorm(double[] x, float[] weight) {
        double meanSquare = 0;
        for (double value : x) {
            meanSquare += value * value;
        }
        meanSquare /= x.length;
        double inverse = 1.0 / Math.sqrt(meanSquare + rmsNormEpsilon);
        double[] normed = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            normed[j] = x[j] * inverse * weight[j];
        }
        return normed;
    }

    /** y = W x (+ b), W in PyTorch's [out, in] layout under {@code name + ".weight"}. */
    private double[] linear(double[] x, String name, boolean withBias) {
        float[] matrix = weight(name + ".weight");
        int outputs = matrix.length / x.length;
        double[] y = new double[outputs];
        for (int o = 0; o < outputs; o++) {
            double sum = 0;
            for (int i = 0; i < x.length; i++) {
                sum += matrix[o * x.length + i] * x[i];
            }
            y[o] = sum;
        }
        if (withBias) {
            float[] bias = weight(name + ".bias");
            for (int o = 0; o < outputs; o++) {
                y[o] += bias[o];
            }
        }
        return y;
    }

    private static double silu(double value) {
        return value / (1 + Math.exp(-value));
    }

    private static void add(double[] target, double[] addend) {
        for (int j = 0; j < target.length; j++) {
            target[j] += addend[j];
        }
    }
}
