// A LoRA adapter resident on the model's device, laid out for the runtime's fused projections.
package io.synod.solvers.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.synod.adapters.lora.LoraAdapter;
import io.synod.adapters.lora.LoraModule;
import io.synod.solvers.model.ModelConfig;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The low-rank factors of one adapter, per layer and fused projection: {@code A [r, in]} and
 * {@code B [out, r]} with the scale s folded into B, so that the update is {@code x A^T B^T}. Where several
 * HuggingFace modules share a fused projection (q/k/v, gate/up), their A matrices are stacked along the rank
 * and their B matrices placed block-diagonally in the rows of their module, so one pair of products serves
 * all of them and merging is one {@code W += B A}. Owns its arrays; {@link #close()} frees them.
 */
public final class ResidentAdapter implements AutoCloseable {

    /** The factors of one fused projection of one layer. */
    public record Factors(NDArray down, NDArray up, int rank) {   // down = A [r, in], up = s B [out, r]
    }

    private final String name;
    private final NDManager manager;
    private final List<Map<Projection, Factors>> layers;
    private final long bytes;

    private ResidentAdapter(String name, NDManager manager, List<Map<Projection, Factors>> layers, long bytes) {
        this.name = name;
        this.manager = manager;
        this.layers = layers;
        this.bytes = bytes;
    }

    /** Copies the adapter's (validated) factors onto {@code parent}'s device, in a manager of its own. */
    public static ResidentAdapter materialise(LoraAdapter adapter, ModelConfig config, NDManager parent) {
        NDManager manager = parent.newSubManager();
        List<Map<Projection, Factors>> layers = new ArrayList<>();
        for (int layer = 0; layer < config.layers(); layer++) {
            layers.add(new EnumMap<>(Projection.class));
        }
        Map<Integer, Map<Projection, List<LoraModule>>> grouped = new java.util.TreeMap<>();
        for (LoraModule module : adapter.modules()) {
            grouped.computeIfAbsent(module.layer(), key -> new EnumMap<>(Projection.class))
                    .computeIfAbsent(Projection.of(module.projection()), key -> new ArrayList<>())
                    .add(module);
        }
        long bytes = 0;
        for (Map.Entry<Integer, Map<Projection, List<LoraModule>>> layer : grouped.entrySet()) {
            for (Map.Entry<Projection, List<LoraModule>> entry : layer.getValue().entrySet()) {
                Factors factors = fuse(entry.getKey(), entry.getValue(), config, manager);
                layers.get(layer.getKey()).put(entry.getKey(), factors);
                bytes += 4L * (factors.down().size() + factors.up().size());
            }
        }
        return new ResidentAdapter(adapter.name(), manager, layers, bytes);
    }

    /** Stacks the modules of one fused projection: A rows by module, B block-diagonal by output rows. */
    private static Factors fuse(Projection projection, List<LoraModule> modules, ModelConfig config, NDManager manager) {
        int in = modules.get(0).in();
        int fusedOut = outputWidth(projection, config);
        int rank = modules.stream().mapToInt(LoraModule::rank).sum();
        float[] down = new float[rank * in];
        float[] up = new float[fusedOut * rank];
        int rankOffset = 0;
        for (String name : projection.modules()) {
            LoraModule module = modules.stream().filter(m -> m.projection().equals(name)).findFirst().orElse(null);
            if (module == null) {
                continue;
            }
            int rowOffset = rowOffset(projection, name, config);
            System.arraycopy(module.a(), 0, down, rankOffset * in, module.rank() * in);
            for (int row = 0; row < module.out(); row++) {
                for (int r = 0; r < module.rank(); r++) {
                    up[(rowOffset + row) * rank + rankOffset + r] = module.scale() * module.b()[row * module.rank() + r];
                }
            }
            rankOffset += module.rank();
        }
        return new Factors(manager.create(down, new Shape(rank, in)), manager.create(up, new Shape(fusedOut, rank)), rank);
    }

    static int outputWidth(Projection projection, ModelConfig config) {
        int headDim = config.headDimension();
        return switch (projection) {
            case QUERY_KEY_VALUE -> (config.attentionHeads() + 2 * config.keyValueHeads()) * headDim;
            case OUTPUT, DOWN -> config.hiddenSize();
            case GATE_UP -> 2 * config.intermediateSize();
        };
    }

    private static int rowOffset(Projection projection, String module, ModelConfig config) {
        int query = config.attentionHeads() * config.headDimension();
        int keyValue = config.keyValueHeads() * config.headDimension();
        return switch (module) {
            case "k_proj" -> query;
            case "v_proj" -> query + keyValue;
            case "up_proj" -> config.intermediateSize();
            default -> 0;
        };
    }

    public String name() {
        return name;
    }

    /** The factors of a layer's projection, or null where the adapter leaves it alone. */
    public Factors factors(int layer, Projection projection) {
        return layers.get(layer).get(projection);
    }

    /** Device bytes held by the factors. */
    public long bytes() {
        return bytes;
    }

    @Override
    public void close() {
        manager.close();
    }
}
