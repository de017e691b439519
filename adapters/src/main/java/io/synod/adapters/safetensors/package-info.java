/**
 * Safetensors files, read and written without a native library.
 *
 * <p>{@link io.synod.adapters.safetensors.SafetensorsFile} opens one file, checks its whole header up
 * front and memory-maps the data (files over 2 GiB included); {@link
 * io.synod.adapters.safetensors.SafetensorsWriter} writes one deterministically and atomically; {@link
 * io.synod.adapters.safetensors.Checkpoint} opens the weights of a HuggingFace model directory, single
 * file or sharded with an index. {@link io.synod.adapters.safetensors.HalfPrecision} converts F16 and
 * BF16. Every failure is a {@link io.synod.adapters.safetensors.SafetensorsException} naming the file,
 * the tensor and what was expected. Pickled PyTorch checkpoints are never read: unpickling can run code.
 */
package io.synod.adapters.safetensors;
