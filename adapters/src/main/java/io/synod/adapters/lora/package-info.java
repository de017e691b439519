/**
 * HuggingFace PEFT LoRA adapters, read, written and validated without a native library.
 *
 * <p>{@link io.synod.adapters.lora.LoraAdapter} reads and writes an adapter directory
 * ({@code adapter_config.json} and {@code adapter_model.safetensors}) and validates it against a
 * {@link io.synod.adapters.lora.BaseModelShape}; {@link io.synod.adapters.lora.LoraConfig} holds the
 * settings and PEFT's rules for which modules are adapted and with what rank and scale
 * ({@link io.synod.adapters.lora.TargetModules}, {@code rank_pattern}, {@code alpha_pattern},
 * {@code layers_to_transform}, rsLoRA); {@link io.synod.adapters.lora.LoraModule} holds one module's
 * factors as float arrays. Every failure is an {@link io.synod.adapters.lora.AdapterException} naming the
 * adapter, the setting or key, and what was expected. Pickled {@code adapter_model.bin} files are never
 * read: unpickling can run code.
 */
package io.synod.adapters.lora;
