// Which adapters one request applies: none, one, or a weighted mixture (the gate of an expert router).
package io.synod.solvers.lora;

import java.util.List;

/**
 * The adapters applied to one row of a batch, each with its gate weight: the update is
 * {@code sum_i g_i s_i (x A_i^T) B_i^T}. An empty mix is the bare base model.
 */
public record AdapterMix(List<Part> parts) {

    /** One adapter of the mix and its gate weight. */
    public record Part(ResidentAdapter adapter, float weight) {
    }

    public AdapterMix {
        parts = List.copyOf(parts);
    }

    private static final AdapterMix NONE = new AdapterMix(List.of());

    public static AdapterMix none() {
        return NONE;
    }

    public static AdapterMix of(ResidentAdapter adapter) {
        return adapter == null ? NONE : new AdapterMix(List.of(new Part(adapter, 1f)));
    }

    public boolean isEmpty() {
        return parts.isEmpty();
    }

    /** The names of the adapters and their weights, for traces. */
    public String describe() {
        if (parts.isEmpty()) {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        for (Part part : parts) {
            if (text.length() > 0) {
                text.append(" + ");
            }
            text.append(part.weight() == 1f ? part.adapter().name() : part.weight() + "*" + part.adapter().name());
        }
        return text.toString();
    }
}
