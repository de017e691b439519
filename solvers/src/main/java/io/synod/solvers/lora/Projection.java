// The four linear projections of a transformer block as the runtime holds them (q/k/v and gate/up fused).
package io.synod.solvers.lora;

import java.util.List;

/** Where a low-rank update lands; each maps to one or more HuggingFace module names. */
public enum Projection {
    /** Fused q_proj, k_proj, v_proj: output rows [q | k | v]. */
    QUERY_KEY_VALUE(List.of("q_proj", "k_proj", "v_proj")),
    /** o_proj. */
    OUTPUT(List.of("o_proj")),
    /** Fused gate_proj, up_proj: output rows [gate | up]. */
    GATE_UP(List.of("gate_proj", "up_proj")),
    /** down_proj. */
    DOWN(List.of("down_proj"));

    private final List<String> modules;

    Projection(List<String> modules) {
        this.modules = modules;
    }

    /** The HuggingFace module names fused into this projection, in output-row order. */
    public List<String> modules() {
        return modules;
    }

    /** The fused projection a HuggingFace module belongs to. */
    public static Projection of(String module) {
        for (Projection projection : values()) {
            if (projection.modules.contains(module)) {
                return projection;
            }
        }
        throw new IllegalArgumentException("no linear projection is named '" + module
                + "'; expected q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj or down_proj");
    }
}
