// Writes small random models in the HuggingFace layout for tests: config.json, model.safetensors, tokenizer.json.
package io.synod.solvers.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.synod.adapters.safetensors.Checkpoint;
import io.synod.adapters.safetensors.DType;
import io.synod.adapters.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

final class TinyModels {
    /**
     * Where tests run models: on the CPU, so that they compute in float32 even where a GPU is seen, with one
     * PyTorch thread (a process-wide setting), which is many times faster for models this small on a busy machine.
     */
    static final RuntimeOptions CPU = RuntimeOptions.defaults()
            .withDevice(RuntimeOptions.DevicePreference.CPU).withThreads(1);

    private TinyModels() {}

    /** A Llama with grouped-query attention (4 query heads over 2 key/value heads) and a byte-level vocabulary. */
    static ModelConfig llama() {
        return new ModelConfig(ModelConfig.Architecture.LLAMA, 264, 64, 128, 2, 4, 2, 16, 1e-5, 10000, null, 256,
                false, false, "float32", ByteLevelTokenizer.BEGIN_OF_SEQUENCE, ByteLevelTokenizer.END_OF_SEQUENCE);
    }

    /** Writes {@code config} with random weights (seeded) into {@code directory}, stored as {@code dtype}. */
    static Path write(Path directory, ModelConfig config, long seed, DType dtype) throws IOException {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            TransformerWeights weights = TransformerWeights.random(config, manager, seed, 0.08f);
            weights.write(directory.resolve("model.safetensors"), dtype);
        }
        config.withTorchDtype(switch (dtype) {
            case BF16 -> "bfloat16";
            case F16 -> "float16";
            default -> "float32";
        }).write(directory.resolve("config.json"));
        ByteLevelTokenizer.write(directory.resolve("tokenizer.json"));
        return directory;
    }

    /** Qwen2: q/k/v biases, 6 query heads over 2 key/value heads, hidden = heads * headDim as Qwen2 has it. */
    static ModelConfig qwen2() {
        return new ModelConfig(ModelConfig.Architecture.QWEN2, 264, 48, 96, 2, 6, 2, 8, 1e-6, 1000000, null, 256,
                false, true, "float32", ByteLevelTokenizer.BEGIN_OF_SEQUENCE, ByteLevelTokenizer.END_OF_SEQUENCE);
    }

    /** Mistral with a single key/value head (multi-query attention). */
    static ModelConfig mistral() {
        return new ModelConfig(ModelConfig.Architecture.MISTRAL, 264, 64, 112, 2, 4, 1, 16, 1e-5, 10000, null, 256,
                false, false, "float32", ByteLevelTokenizer.BEGIN_OF_SEQUENCE, ByteLevelTokenizer.END_OF_SEQUENCE);
    }

    /** A Llama whose output head is its embedding matrix, with as many key/value heads as query heads. */
    static ModelConfig tiedLlama() {
        return new ModelConfig(ModelConfig.Architecture.LLAMA, 264, 64, 128, 2, 4, 4, 16, 1e-5, 10000, null, 256,
                true, false, "float32", ByteLevelTokenizer.BEGIN_OF_SEQUENCE, ByteLevelTokenizer.END_OF_SEQUENCE);
    }

    /**
     * A Llama with Llama 3's rope scaling. With head dimension 16 and theta 10000 the wavelengths run from 6
     * to 20,000 positions; an original context of 64 with factors 1 and 4 keeps the shortest (under 16),
     * interpolates two (between 16 and 64) and divides the other five by 8, so every branch is used.
     */
    static ModelConfig llama3Scaled() {
        return new ModelConfig(ModelConfig.Architecture.LLAMA, 264, 64, 128, 2, 4, 2, 16, 1e-5, 10000,
                new ModelConfig.RopeScaling(8, 1, 4, 64), 256,
                false, false, "float32", ByteLevelTokenizer.BEGIN_OF_SEQUENCE, ByteLevelTokenizer.END_OF_SEQUENCE);
    }

    /** A tensor as it goes into a checkpoint: row-major values and a shape. */
    record Tensor(long[] shape, float[] values) {
    }

    /**
     * Every tensor {@code config} needs, under HuggingFace key names, drawn from {@code java.util.Random}
     * (not from {@link TransformerWeights#random}, which has unit norms and zero biases): matrices normal with
     * deviation 0.1, the embedding 0.5, norm weights around one, biases around zero with deviation 0.2.
     */
    static Map<String, Tensor> randomTensors(ModelConfig config, long seed) {
        Random random = new Random(seed);
        int hidden = config.hiddenSize();
        int queryWidth = config.attentionHeads() * config.headDimension();
        int keyValueWidth = config.keyValueHeads() * config.headDimension();
        int intermediate = config.intermediateSize();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("model.embed_tokens.weight", normal(random, 0, 0.5, config.vocabularySize(), hidden));
        for (int i = 0; i < config.layers(); i++) {
            String prefix = "model.layers." + i + ".";
            tensors.put(prefix + "input_layernorm.weight", normal(random, 1, 0.2, hidden));
            tensors.put(prefix + "self_attn.q_proj.weight", normal(random, 0, 0.1, queryWidth, hidden));
            tensors.put(prefix + "self_attn.k_proj.weight", normal(random, 0, 0.1, keyValueWidth, hidden));
            tensors.put(prefix + "self_attn.v_proj.weight", normal(random, 0, 0.1, keyValueWidth, hidden));
            if (config.attentionBias()) {
                tensors.put(prefix + "self_attn.q_proj.bias", normal(random, 0, 0.2, queryWidth));
                tensors.put(prefix + "self_attn.k_proj.bias", normal(random, 0, 0.2, keyValueWidth));
                tensors.put(prefix + "self_attn.v_proj.bias", normal(random, 0, 0.2, keyValueWidth));
            }
            tensors.put(prefix + "self_attn.o_proj.weight", normal(random, 0, 0.1, hidden, queryWidth));
            tensors.put(prefix + "post_attention_layernorm.weight", normal(random, 1, 0.2, hidden));
            tensors.put(prefix + "mlp.gate_proj.weight", normal(random, 0, 0.1, intermediate, hidden));
            tensors.put(prefix + "mlp.up_proj.weight", normal(random, 0, 0.1, intermediate, hidden));
            tensors.put(prefix + "mlp.down_proj.weight", normal(random, 0, 0.1, hidden, intermediate));
        }
        tensors.put("model.norm.weight", normal(random, 1, 0.2, hidden));
        if (!config.tieWordEmbeddings()) {
            tensors.put("lm_head.weight", normal(random, 0, 0.1, config.vocabularySize(), hidden));
        }
        return tensors;
    }

    /** A safetensors writer holding {@code tensors} stored as {@code dtype}, with the metadata transformers writes. */
    static SafetensorsWriter writerOf(Map<String, Tensor> tensors, DType dtype) {
        SafetensorsWriter writer = SafetensorsWriter.create().metadata("format", "pt");
        tensors.forEach((name, tensor) -> writer.putFloats(name, tensor.shape(), tensor.values(), dtype));
        return writer;
    }

    /**
     * Writes a model directory with {@link #randomTensors} in one {@code model.safetensors}, or, with
     * {@code sharded}, in two shards (the embedding and the first half of the layers, then the rest) beside a
     * {@code model.safetensors.index.json}; then config.json and a byte-level tokenizer.json.
     */
    static Path writeRandom(Path directory, ModelConfig config, long seed, DType dtype, boolean sharded)
            throws IOException {
        Map<String, Tensor> tensors = randomTensors(config, seed);
        if (sharded) {
            Map<String, Tensor> first = new LinkedHashMap<>();
            Map<String, Tensor> second = new LinkedHashMap<>();
            String secondHalf = "model.layers." + config.layers() / 2 + ".";
            boolean inSecond = false;
            for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
                inSecond |= entry.getKey().startsWith(secondHalf);
                (inSecond ? second : first).put(entry.getKey(), entry.getValue());
            }
            Checkpoint.writeSharded(directory, Map.of(
                    "model-00001-of-00002.safetensors", writerOf(first, dtype),
                    "model-00002-of-00002.safetensors", writerOf(second, dtype)));
        } else {
            writerOf(tensors, dtype).write(directory.resolve(Checkpoint.SINGLE_FILE));
        }
        config.withTorchDtype(switch (dtype) {
            case BF16 -> "bfloat16";
            case F16 -> "float16";
            default -> "float32";
        }).write(directory.resolve("config.json"));
        ByteLevelTokenizer.write(directory.resolve("tokenizer.json"));
        return directory;
    }

    private static Tensor normal(Random random, double mean, double deviation, long... shape) {
        long count = 1;
        for (long dimension : shape) {
            count *= dimension;
        }
        float[] values = new float[Math.toIntExact(count)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (mean + deviation * random.nextGaussian());
        }
        return new Tensor(shape, values);
    }
}
