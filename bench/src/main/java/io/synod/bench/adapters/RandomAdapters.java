// Random LoRA adapters for a benchmark checkpoint, written as PEFT directories that LoraAdapter.read loads back.
package io.synod.bench.adapters;

import io.synod.adapters.lora.LoraAdapter;
import io.synod.adapters.lora.LoraConfig;
import io.synod.adapters.lora.LoraModule;
import io.synod.adapters.lora.TargetModules;
import io.synod.bench.runtime.BenchmarkCheckpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Adapters of one rank on q_proj, k_proj, v_proj and o_proj of every layer of a {@link BenchmarkCheckpoint},
 * with {@code lora_alpha = 2r} (scale 2) and both factors drawn from N(0, 0.02²): B is not zero, as PEFT's
 * initialisation would make it, so that the update changes the outputs like a trained adapter's does.
 */
final class RandomAdapters {
    /** The attention projections the adapters target, in PEFT's names. */
    static final List<String> TARGETS = List.of("q_proj", "k_proj", "v_proj", "o_proj");

    private static final double STANDARD_DEVIATION = 0.02;

    private RandomAdapters() {}

    /**
     * Writes the adapter {@code name} into {@code catalogue/name} and returns where it is. The same seed
     * gives the same factors.
     */
    static Path write(Path catalogue, String name, BenchmarkCheckpoint checkpoint, int rank, long seed) {
        Path directory = catalogue.resolve(name);
        create(name, checkpoint, rank, seed).write(directory);
        return directory;
    }

    static LoraAdapter create(String name, BenchmarkCheckpoint checkpoint, int rank, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        LoraConfig config = LoraConfig.of(rank, 2.0 * rank, TargetModules.names(TARGETS.toArray(String[]::new)),
                "synod-bench-" + checkpoint.name());
        int hidden = checkpoint.hiddenSize();
        int query = checkpoint.attentionHeads() * checkpoint.headDimension();
        int keyValue = checkpoint.keyValueHeads() * checkpoint.headDimension();
        List<LoraModule> modules = new ArrayList<>();
        for (int layer = 0; layer < checkpoint.layers(); layer++) {
            for (String projection : TARGETS) {
                String module = "model.layers." + layer + ".self_attn." + projection;
                // (in, out) of the base module: q [query x hidden], k and v [kv x hidden], o [hidden x query]
                int in = projection.equals("o_proj") ? query : hidden;
                int out = switch (projection) {
                    case "q_proj" -> query;
                    case "k_proj", "v_proj" -> keyValue;
                    default -> hidden;
                };
                modules.add(LoraModule.of(module, rank, (float) config.scaleFor(module), in, out,
                        gaussian(random, rank * in), gaussian(random, out * rank)));
            }
        }
        return LoraAdapter.of(name, config, modules);
    }

    private static float[] gaussian(SplittableRandom random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * STANDARD_DEVIATION);
        }
        return values;
    }
}
