// Where one tensor lies in a safetensors file, and what its bytes mean.
package io.synod.adapters.safetensors;

import java.util.Arrays;
import java.util.Objects;

/**
 * The header entry of one tensor: its name, element type, shape (row-major, outermost dimension first)
 * and byte range {@code [begin, end)} relative to the start of the file's data section (the byte after
 * the header).
 *
 * <p>Immutable: the shape is copied on the way in and on the way out. Equality compares the shape by
 * value. The constructor checks that the range holds exactly {@code elementCount() * dtype.byteSize()}
 * bytes.
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = Objects.requireNonNull(shape, "shape").clone();
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("tensor '" + name + "': expected 0 <= begin <= end, got ["
                    + begin + ", " + end + ")");
        }
        long expected = byteLength(name, dtype, shape);
        if (end - begin != expected) {
            throw new IllegalArgumentException("tensor '" + name + "': " + dtype + " " + Arrays.toString(shape)
                    + " takes " + expected + " bytes, but its range [" + begin + ", " + end + ") holds "
                    + (end - begin));
        }
    }

    /** The shape, a fresh copy on each call. An empty shape is a scalar. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of elements: the product of the shape (1 for a scalar, 0 if any dimension is 0). */
    public long elementCount() {
        return elementCount(name, shape);
    }

    /** The number of bytes, {@code end - begin}. */
    public long byteLength() {
        return end - begin;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorInfo that
                && name.equals(that.name)
                && dtype == that.dtype
                && Arrays.equals(shape, that.shape)
                && begin == that.begin
                && end == that.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return "TensorInfo[name=" + name + ", dtype=" + dtype + ", shape=" + Arrays.toString(shape)
                + ", begin=" + begin + ", end=" + end + "]";
    }

    /**
     * Product of the dimensions.
     *
     * @throws IllegalArgumentException if a dimension is negative or the product overflows a long
     */
    static long elementCount(String name, long[] shape) {
        long count = 1;
        for (long dimension : shape) {
            if (dimension < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': expected non-negative dimensions, got "
                        + Arrays.toString(shape));
            }
            try {
                count = Math.multiplyExact(count, dimension);
            } catch (ArithmeticException overflow) {
                throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                        + " has more elements than a long can count", overflow);
            }
        }
        return count;
    }

    /**
     * Bytes a tensor of this type and shape takes.
     *
     * @throws IllegalArgumentException if a dimension is negative or the size overflows a long
     */
    static long byteLength(String name, DType dtype, long[] shape) {
        try {
            return Math.multiplyExact(elementCount(name, shape), (long) dtype.byteSize());
        } catch (ArithmeticException overflow) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                    + " of " + dtype + " takes more bytes than a long can count", overflow);
        }
    }
}
