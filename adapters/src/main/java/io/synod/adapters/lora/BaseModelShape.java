// What an adapter is validated against: the linear modules of the base model and their widths.
package io.synod.adapters.lora;

import java.util.Map;

/**
 * The linear modules of a base model that LoRA may adapt, by their HuggingFace module names relative to
 * the causal-LM model ({@code model.layers.3.self_attn.q_proj}, {@code model.layers.3.mlp.down_proj}),
 * each with its widths. The output head is not listed: adapters on it are not supported.
 */
@FunctionalInterface
public interface BaseModelShape {

    /** Module name to its widths; the caller must not modify the map. */
    Map<String, ModuleShape> linearModules();
}
