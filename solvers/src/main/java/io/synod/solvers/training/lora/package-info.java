/**
 * LoRA adapter training on a frozen base model: {@link io.synod.solvers.training.lora.AdapterTrainer} trains the
 * factors of the modules {@link io.synod.solvers.training.lora.AdapterOptions} names, from PEFT's standard
 * initialisation or from PiSSA's principal singular vectors, with the base trainer's data, schedule and optimizer,
 * and writes a PEFT adapter that applies to the unchanged base.
 */
package io.synod.solvers.training.lora;
