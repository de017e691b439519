// The element types a safetensors file may hold, named exactly as the format's header spells them.
package io.synod.adapters.safetensors;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * An element type of a safetensors tensor. Each constant's {@link #name()} is the string the format
 * writes in a header's {@code "dtype"} field. All types are stored little-endian.
 *
 * <p>The format defines a few more types (unsigned 16/32/64-bit integers, 8-bit floats); they are not
 * supported here, and a file that uses one is refused when it is opened.
 */
public enum DType {
    /** IEEE 754 binary64. */
    F64(8),
    /** IEEE 754 binary32. */
    F32(4),
    /** IEEE 754 binary16 (half precision). */
    F16(2),
    /** bfloat16: the upper 16 bits of a binary32. */
    BF16(2),
    /** Signed 64-bit integer. */
    I64(8),
    /** Signed 32-bit integer. */
    I32(4),
    /** Signed 16-bit integer. */
    I16(2),
    /** Signed 8-bit integer. */
    I8(1),
    /** Unsigned 8-bit integer. */
    U8(1),
    /** A boolean stored as one byte (0 or 1). */
    BOOL(1);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes taken by one element. */
    public int byteSize() {
        return byteSize;
    }

    /**
     * The type a header names.
     *
     * @param name the header's dtype string, case-sensitive ({@code "F32"}, {@code "BF16"}, ...)
     * @throws IllegalArgumentException if the name is not one of the supported types; the message lists them
     */
    public static DType fromName(String name) {
        for (DType type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "'; expected one of "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
}
