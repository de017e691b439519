/**
 * Safetensors reading and writing, the PEFT LoRA adapter format, the adapter store, expert metadata and K-shot selection math. Depends on nothing of Synod's.
 */
package io.synod.adapters;
