// The input and output widths of one linear module of the base model.
package io.synod.adapters.lora;

/**
 * A linear module {@code y = x W^T} with {@code W [out x in]}: {@code in} features in, {@code out} out.
 * A LoRA adapter on it has {@code A [r x in]} and {@code B [out x r]}.
 */
public record ModuleShape(int in, int out) {

    public ModuleShape {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("expected positive widths, got in=" + in + ", out=" + out);
        }
    }
}
