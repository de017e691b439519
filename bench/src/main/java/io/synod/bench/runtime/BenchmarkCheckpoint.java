// Writes the runtime benchmark's checkpoints: a HuggingFace-layout Llama directory (config.json, a byte-level
// tokenizer.json, random f32 weights in model.safetensors) that Synod, Jlama and DJL's tokenizer all load.
package io.synod.bench.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.synod.adapters.safetensors.DType;
import io.synod.adapters.safetensors.SafetensorsWriter;
import io.synod.solvers.model.ByteLevelTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The shape of a Llama checkpoint the benchmark writes, with random weights: every matrix drawn from
 * N(0, 0.02²), every RMSNorm weight 1.0, an untied output head. The vocabulary is byte-level: ids 0–255 are
 * the bytes (spelt with GPT-2's byte-to-unicode mapping, as byte-level BPE tokenizers spell them), 256 is
 * {@code <s>} and 257 is {@code </s>}; there are no merges, so one byte of text is one token.
 *
 * @param name                a short label for tables
 * @param hiddenSize          width of the residual stream
 * @param layers              transformer blocks
 * @param intermediateSize    width of the SwiGLU feed-forward layer
 * @param attentionHeads      query heads
 * @param keyValueHeads       key/value heads
 * @param maxPositions        max_position_embeddings (also Jlama's context length, which sizes its KV cache)
 */
public record BenchmarkCheckpoint(String name, int hiddenSize, int layers, int intermediateSize, int attentionHeads,
                                  int keyValueHeads, int maxPositions) {

    /** The size of Synod's embedded default model (the lead may change it). */
    public static final BenchmarkCheckpoint EMBEDDED_DEFAULT =
            new BenchmarkCheckpoint("small", 256, 4, 688, 4, 2, 2048);
    /** A Llama configuration of about 76 million parameters (303 MB in f32). */
    public static final BenchmarkCheckpoint LLAMA_76M = new BenchmarkCheckpoint("76M", 768, 12, 2048, 12, 4, 2048);

    public static final int BYTE_TOKENS = 256;
    public static final int BOS_TOKEN = 256;
    public static final int EOS_TOKEN = 257;
    public static final int VOCABULARY_SIZE = 258;

    private static final double WEIGHT_STANDARD_DEVIATION = 0.02;
    private static final ObjectMapper JSON = new ObjectMapper();

    public BenchmarkCheckpoint {
        if (hiddenSize <= 0 || layers <= 0 || intermediateSize <= 0 || attentionHeads <= 0 || keyValueHeads <= 0
                || attentionHeads % keyValueHeads != 0 || hiddenSize % attentionHeads != 0 || maxPositions <= 0) {
            throw new IllegalArgumentException("inconsistent checkpoint shape " + this);
        }
    }

    public int headDimension() {
        return hiddenSize / attentionHeads;
    }

    private long keyValueWidth() {
        return (long) keyValueHeads * headDimension();
    }

    /** Weights of one transformer block (attention, SwiGLU, two norms). */
    private long parametersPerLayer() {
        long attention = 2L * hiddenSize * hiddenSize + 2L * keyValueWidth() * hiddenSize;
        return attention + 3L * hiddenSize * intermediateSize + 2L * hiddenSize;
    }

    /** Every weight in the file: embedding, blocks, final norm, output head. */
    public long parameterCount() {
        return 2L * VOCABULARY_SIZE * hiddenSize + layers * parametersPerLayer() + hiddenSize;
    }

    /**
     * Bytes of f32 weights one decoded token has to read: every block, the final norm and the output head
     * (the embedding contributes only its one row, which is left out).
     */
    public long bytesReadPerToken() {
        return 4L * (layers * parametersPerLayer() + hiddenSize + (long) VOCABULARY_SIZE * hiddenSize);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (hidden %d, %d layers, intermediate %d, %d heads / %d kv, vocabulary %d, "
                + "%,d parameters)", name, hiddenSize, layers, intermediateSize, attentionHeads, keyValueHeads,
                VOCABULARY_SIZE, parameterCount());
    }

    /**
     * Writes config.json, tokenizer.json, tokenizer_config.json and model.safetensors into {@code directory}
     * (created if needed). The same seed gives the same weights.
     */
    public void write(Path directory, long seed) throws IOException {
        Files.createDirectories(directory);
        writeConfig(directory.resolve("config.json"));
        ByteLevelTokenizer.write(directory.resolve("tokenizer.json"));
        writeTokenizerConfig(directory.resolve("tokenizer_config.json"));
        writeWeights(directory.resolve("model.safetensors"), seed);
    }

    private void writeConfig(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("architectures").add("LlamaForCausalLM");
        root.put("model_type", "llama");
        root.put("vocab_size", VOCABULARY_SIZE);
        root.put("hidden_size", hiddenSize);
        root.put("intermediate_size", intermediateSize);
        root.put("num_hidden_layers", layers);
        root.put("num_attention_heads", attentionHeads);
        root.put("num_key_value_heads", keyValueHeads);
        root.put("head_dim", headDimension());
        root.put("hidden_act", "silu");
        root.put("rms_norm_eps", 1e-5);
        root.put("rope_theta", 10000.0);
        root.put("max_position_embeddings", maxPositions);
        root.put("tie_word_embeddings", false);
        root.put("attention_bias", false);
        root.put("torch_dtype", "float32");
        root.put("bos_token_id", BOS_TOKEN);
        root.put("eos_token_id", EOS_TOKEN);
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    }


    private static void writeTokenizerConfig(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("tokenizer_class", "PreTrainedTokenizerFast");
        root.put("bos_token", "<s>");
        root.put("eos_token", "</s>");
        root.put("add_bos_token", true);
        root.put("model_max_length", 2048);
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    }

    private void writeWeights(Path file, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        long kv = keyValueWidth();
        SafetensorsWriter writer = SafetensorsWriter.create();
        writer.putFloats("model.embed_tokens.weight", new long[] {VOCABULARY_SIZE, hiddenSize},
                gaussian(random, (long) VOCABULARY_SIZE * hiddenSize), DType.F32);
        for (int layer = 0; layer < layers; layer++) {
            String prefix = "model.layers." + layer + ".";
            writer.putFloats(prefix + "input_layernorm.weight", new long[] {hiddenSize}, ones(hiddenSize), DType.F32);
            writer.putFloats(prefix + "self_attn.q_proj.weight", new long[] {hiddenSize, hiddenSize},
                    gaussian(random, (long) hiddenSize * hiddenSize), DType.F32);
            writer.putFloats(prefix + "self_attn.k_proj.weight", new long[] {kv, hiddenSize},
                    gaussian(random, kv * hiddenSize), DType.F32);
            writer.putFloats(prefix + "self_attn.v_proj.weight", new long[] {kv, hiddenSize},
                    gaussian(random, kv * hiddenSize), DType.F32);
            writer.putFloats(prefix + "self_attn.o_proj.weight", new long[] {hiddenSize, hiddenSize},
                    gaussian(random, (long) hiddenSize * hiddenSize), DType.F32);
            writer.putFloats(prefix + "post_attention_layernorm.weight", new long[] {hiddenSize}, ones(hiddenSize),
                    DType.F32);
            writer.putFloats(prefix + "mlp.gate_proj.weight", new long[] {intermediateSize, hiddenSize},
                    gaussian(random, (long) intermediateSize * hiddenSize), DType.F32);
            writer.putFloats(prefix + "mlp.up_proj.weight", new long[] {intermediateSize, hiddenSize},
                    gaussian(random, (long) intermediateSize * hiddenSize), DType.F32);
            writer.putFloats(prefix + "mlp.down_proj.weight", new long[] {hiddenSize, intermediateSize},
                    gaussian(random, (long) hiddenSize * intermediateSize), DType.F32);
        }
        writer.putFloats("model.norm.weight", new long[] {hiddenSize}, ones(hiddenSize), DType.F32);
        writer.putFloats("lm_head.weight", new long[] {VOCABULARY_SIZE, hiddenSize},
                gaussian(random, (long) VOCABULARY_SIZE * hiddenSize), DType.F32);
        writer.write(file);
    }

    private static float[] gaussian(SplittableRandom random, long count) {
        float[] values = new float[Math.toIntExact(count)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * WEIGHT_STANDARD_DEVIATION);
        }
        return values;
    }

    private static float[] ones(int count) {
        float[] values = new float[count];
        Arrays.fill(values, 1.0f);
        return values;
    }
}
