// Small base models and random PEFT adapters for the LoRA tests, written as real files.
package io.synod.solvers.lora;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.synod.adapters.lora.LoraAdapter;
import io.synod.adapters.lora.LoraConfig;
import io.synod.adapters.lora.LoraModule;
import io.synod.adapters.lora.TargetModules;
import io.synod.adapters.safetensors.DType;
import io.synod.solvers.model.ByteLevelTokenizer;
import io.synod.solvers.model.ModelConfig;
import io.synod.solvers.model.TransformerWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

final class LoraFixtures {
    private LoraFixtures() {}

    /** Llama with grouped-query attention: 4 query heads of 16 over 2 key/value heads, hidden 64, ffn 96. */
    static ModelConfig config() {
        return new ModelConfig(ModelConfig.Architecture.LLAMA, 264, 64, 96, 2, 4, 2, 16, 1e-5, 10000, null, 256,
                false, false, "float32", ByteLevelTokenizer.BEGIN_OF_SEQUENCE, ByteLevelTokenizer.END_OF_SEQUENCE);
    }

    static Path writeBase(Path directory, ModelConfig config) throws IOException {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            TransformerWeights.random(config, manager, 11, 0.1f).write(directory.resolve("model.safetensors"), DType.F32);
        }
        config.write(directory.resolve("config.json"));
        ByteLevelTokenizer.write(directory.resolve("tokenizer.json"));
        return directory;
    }

    /** A random adapter of {@code rank} on the given projections of every layer; B is non-zero so it changes outputs. */
    static LoraAdapter adapter(String name, ModelConfig config, int rank, double alpha, long seed, String... projections) {
        Random random = new Random(seed);
        LoraConfig loraConfig = LoraConfig.of(rank, alpha, TargetModules.names(projections), "test-base");
        List<LoraModule> modules = new ArrayList<>();
        for (int layer = 0; layer < config.layers(); layer++) {
            for (String projection : projections) {
                String module = "model.layers." + layer + "." + (projection.endsWith("_proj") && List.of("q_proj", "k_proj",
                        "v_proj", "o_proj").contains(projection) ? "self_attn." : "mlp.") + projection;
                int[] shape = shape(config, projection);
                float[] a = new float[rank * shape[0]];
                float[] b = new float[shape[1] * rank];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) (random.nextGaussian() * 0.3);
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) (random.nextGaussian() * 0.3);
                }
                modules.add(LoraModule.of(module, rank, (float) loraConfig.scaleFor(module), shape[0], shape[1], a, b));
            }
        }
        return LoraAdapter.of(name, loraConfig, modules);
    }

    /** {in, out} of a projection. */
    static int[] shape(ModelConfig config, String projection) {
        int hidden = config.hiddenSize();
        int query = config.attentionHeads() * config.headDimension();
        int keyValue = config.keyValueHeads() * config.headDimension();
        return switch (projection) {
            case "q_proj" -> new int[] {hidden, query};
            case "k_proj", "v_proj" -> new int[] {hidden, keyValue};
            case "o_proj" -> new int[] {query, hidden};
            case "gate_proj", "up_proj" -> new int[] {hidden, config.intermediateSize()};
            case "down_proj" -> new int[] {config.intermediateSize(), hidden};
            default -> throw new IllegalArgumentException(projection);
        };
    }
}
