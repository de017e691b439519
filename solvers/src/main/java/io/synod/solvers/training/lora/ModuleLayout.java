// Where each HuggingFace projection of a layer sits in the runtime's weights: its name, widths and fused rows.
package io.synod.solvers.training.lora;

import io.synod.solvers.lora.Projection;
import io.synod.solvers.model.ModelConfig;

/** The shapes of the seven linear projections of a Llama-family layer, by their HuggingFace names. Stateless. */
final class ModuleLayout {
    private ModuleLayout() {}

    /** The module's full name, as PEFT keys and {@code target_modules} see it: {@code model.layers.3.self_attn.q_proj}. */
    static String moduleName(int layer, String projection) {
        String block = switch (projection) {
            case "q_proj", "k_proj", "v_proj", "o_proj" -> "self_attn.";
            case "gate_proj", "up_proj", "down_proj" -> "mlp.";
            default -> throw new IllegalArgumentException("no linear projection is named '" + projection + "'");
        };
        return "model.layers." + layer + "." + block + projection;
    }

    /** Input width of the projection: W is [out, in]. */
    static int in(ModelConfig config, String projection) {
        return switch (projection) {
            case "o_proj" -> config.attentionHeads() * config.headDimension();
            case "down_proj" -> config.intermediateSize();
            default -> config.hiddenSize();
        };
    }

    /** Output width of the projection. */
    static int out(ModelConfig config, String projection) {
        return switch (projection) {
            case "q_proj" -> config.attentionHeads() * config.headDimension();
            case "k_proj", "v_proj" -> config.keyValueHeads() * config.headDimension();
            case "gate_proj", "up_proj" -> config.intermediateSize();
            default -> config.hiddenSize();
        };
    }

    /** The first row of the projection within its fused matrix ([q | k | v] and [gate | up] by rows). */
    static int rowOffset(ModelConfig config, String projection) {
        int query = config.attentionHeads() * config.headDimension();
        int keyValue = config.keyValueHeads() * config.headDimension();
        return switch (projection) {
            case "k_proj" -> query;
            case "v_proj" -> query + keyValue;
            case "up_proj" -> config.intermediateSize();
            default -> 0;
        };
    }

    /** Rows of the fused matrix the projection belongs to. */
    static int fusedRows(ModelConfig config, Projection projection) {
        return projection.modules().stream().mapToInt(module -> out(config, module)).sum();
    }
}
