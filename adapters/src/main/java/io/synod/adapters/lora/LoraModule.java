// The low-rank factors of one adapted module: A [r x in] and B [out x r], with the module's scale.
package io.synod.adapters.lora;

import java.util.Arrays;
import java.util.Objects;

/**
 * The LoRA factors of one linear module of the base model. The module's output gains
 * {@code scale * (x A^T) B^T}.
 *
 * <p>{@code a} is {@code A [rank x in]} and {@code b} is {@code B [out x rank]}, both row-major, as PEFT
 * stores {@code lora_A.weight} and {@code lora_B.weight} (never transposed: see {@link LoraConfig} on
 * {@code fan_in_fan_out}). {@code projection} is the last component of the module name ({@code q_proj});
 * {@code layer} is {@code i} of {@code model.layers.{i}.}, or -1 for a module outside the layers.
 *
 * <p>The arrays are not copied, on the way in or out, because adapters can be large: treat them as
 * read-only. Equality compares their contents.
 *
 * @param module the full module name, such as {@code model.layers.3.self_attn.q_proj}
 * @param scale s, {@code alpha / r} (or {@code alpha / sqrt(r)} with rsLoRA) for this module
 */
public record LoraModule(String module, int layer, String projection, int rank, float scale, int in, int out,
        float[] a, float[] b) {

    /**
     * @throws IllegalArgumentException if a width or the rank is not positive, an array's length is not
     *     {@code rank * in} (A) or {@code out * rank} (B), or {@code layer} and {@code projection} do not
     *     agree with the module name
     */
    public LoraModule {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(projection, "projection");
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (rank <= 0 || in <= 0 || out <= 0) {
            throw new IllegalArgumentException(module + ": expected positive rank and widths, got rank=" + rank
                    + ", in=" + in + ", out=" + out);
        }
        if (!Float.isFinite(scale)) {
            throw new IllegalArgumentException(module + ": expected a finite scale, got " + scale);
        }
        if (a.length != (long) rank * in) {
            throw new IllegalArgumentException(module + ": A [" + rank + " x " + in + "] needs " + (long) rank * in
                    + " values; got " + a.length);
        }
        if (b.length != (long) out * rank) {
            throw new IllegalArgumentException(module + ": B [" + out + " x " + rank + "] needs " + (long) out * rank
                    + " values; got " + b.length);
        }
        if (!projection.equals(projectionOf(module))) {
            throw new IllegalArgumentException(module + ": projection '" + projection + "' is not the last component"
                    + " of the module name");
        }
        if (layer != LoraConfig.layerOf(module)) {
            throw new IllegalArgumentException(module + ": layer " + layer + " does not match the module name"
                    + " (expected " + LoraConfig.layerOf(module) + ")");
        }
    }

    /** A module whose layer and projection are taken from its name. */
    public static LoraModule of(String module, int rank, float scale, int in, int out, float[] a, float[] b) {
        return new LoraModule(module, LoraConfig.layerOf(module), projectionOf(module), rank, scale, in, out, a, b);
    }

    /** The last dot-separated component of a module name. */
    public static String projectionOf(String module) {
        return module.substring(module.lastIndexOf('.') + 1);
    }

    /** Bytes the factors take as floats. */
    public long byteSize() {
        return 4L * (a.length + (long) b.length);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LoraModule that
                && module.equals(that.module)
                && layer == that.layer
                && projection.equals(that.projection)
                && rank == that.rank
                && Float.compare(scale, that.scale) == 0
                && in == that.in
                && out == that.out
                && Arrays.equals(a, that.a)
                && Arrays.equals(b, that.b);
    }

    @Override
    public int hashCode() {
        return Objects.hash(module, layer, projection, rank, scale, in, out, Arrays.hashCode(a), Arrays.hashCode(b));
    }

    @Override
    public String toString() {
        return "LoraModule[" + module + ", rank=" + rank + ", scale=" + scale + ", in=" + in + ", out=" + out + "]";
    }
}
