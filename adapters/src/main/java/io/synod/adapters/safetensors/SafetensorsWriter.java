// Builds a safetensors file from tensors and metadata, and writes it atomically.
package io.synod.adapters.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Collects tensors and metadata, then writes them as one safetensors file.
 *
 * <p>The output is deterministic: tensors are laid out by element size (largest first, so every tensor
 * starts at a multiple of its element size) and then by name, metadata keys are sorted, and
 * the JSON header is compact and padded with spaces to a multiple of 8 bytes, as the reference
 * implementation does. Writing goes to a temporary file in the target's directory that is renamed over
 * the target when complete, so a failure never leaves a partial file. Each tensor is streamed to disk
 * from its own buffer, so the total may exceed 2 GiB.
 *
 * <p>{@link #put} does not copy the buffer it is given: its bytes are read when {@link #write} runs, so
 * they must not change in between. A writer may write several times. Not thread-safe.
 */
public final class SafetensorsWriter {

    private record Pending(DType dtype, long[] shape, ByteBuffer data) {
    }

    private final Map<String, String> metadata = new TreeMap<>();
    private final Map<String, Pending> tensors = new TreeMap<>();

    private SafetensorsWriter() {
    }

    /** An empty writer. */
    public static SafetensorsWriter create() {
        return new SafetensorsWriter();
    }

    /** Adds an entry to the header's {@code "__metadata__"} (a later value for the same key replaces it). */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Adds a tensor from its raw little-endian bytes: the buffer's remaining bytes, which must number
     * exactly {@code product(shape) * dtype.byteSize()}. The buffer's position is not moved.
     *
     * @throws IllegalArgumentException if the name is taken or reserved, a dimension is negative, or the
     *     byte count does not match
     */
    public SafetensorsWriter put(String name, DType dtype, long[] shape, ByteBuffer littleEndianData) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(littleEndianData, "littleEndianData");
        long[] dimensions = Objects.requireNonNull(shape, "shape").clone();
        if (name.equals(SafetensorsFile.METADATA_KEY)) {
            throw new IllegalArgumentException("'" + name + "' is reserved for the header's metadata");
        }
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("a tensor named '" + name + "' was already put");
        }
        long expected = TensorInfo.byteLength(name, dtype, dimensions);
        if (littleEndianData.remaining() != expected) {
            throw new IllegalArgumentException("tensor '" + name + "': " + dtype + " " + Arrays.toString(dimensions)
                    + " takes " + expected + " bytes; the buffer has " + littleEndianData.remaining() + " remaining");
        }
        tensors.put(name, new Pending(dtype, dimensions, littleEndianData.slice()));
        return this;
    }

    /**
     * Adds a tensor of floats, stored as F32, or rounded to F16 or BF16 (to nearest, ties to even). The
     * values are converted now; the array is not kept.
     *
     * @throws IllegalArgumentException if {@code storeAs} is not F32, F16 or BF16, the shape does not
     *     match the number of values, or {@link #put} refuses the tensor
     */
    public SafetensorsWriter putFloats(String name, long[] shape, float[] values, DType storeAs) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(storeAs, "storeAs");
        if (storeAs != DType.F32 && storeAs != DType.F16 && storeAs != DType.BF16) {
            throw new IllegalArgumentException("tensor '" + name + "': floats can be stored as F32, F16 or BF16, not "
                    + storeAs);
        }
        long count = TensorInfo.elementCount(name, Objects.requireNonNull(shape, "shape"));
        if (count != values.length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " has "
                    + count + " elements; got " + values.length + " values");
        }
        ByteBuffer data = ByteBuffer.allocate(Math.multiplyExact(values.length, storeAs.byteSize()))
                .order(ByteOrder.LITTLE_ENDIAN);
        switch (storeAs) {
            case F32 -> data.asFloatBuffer().put(values);
            case F16 -> {
                for (int i = 0; i < values.length; i++) {
                    data.putShort(2 * i, HalfPrecision.floatToFloat16(values[i]));
                }
            }
            case BF16 -> {
                for (int i = 0; i < values.length; i++) {
                    data.putShort(2 * i, HalfPrecision.floatToBfloat16(values[i]));
                }
            }
            default -> throw new AssertionError(storeAs);
        }
        return put(name, storeAs, shape, data);
    }

    /**
     * Writes the file, replacing any file already there. On failure nothing is left behind and an
     * existing file is unchanged.
     *
     * @throws SafetensorsException naming the file, if it cannot be written
     */
    public void write(Path file) {
        write(file, temporary -> { });
    }

    /** {@link #write(Path)}, with a hook that runs on the complete temporary file just before the rename. */
    void write(Path file, Consumer<Path> beforeMove) {
        Objects.requireNonNull(file, "file");
        byte[] header = header(file);
        AtomicWrite.write(file, channel -> {
            ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            prefix.putLong(header.length).put(header).flip();
            AtomicWrite.writeFully(channel, prefix);
            for (Pending tensor : layout().stream().map(Map.Entry::getValue).toList()) {
                AtomicWrite.writeFully(channel, tensor.data());
            }
        }, beforeMove);
    }

    /** The order of the data section: element size descending, then name, as the reference writer does. */
    private List<Map.Entry<String, Pending>> layout() {
        return tensors.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, Pending> entry) -> -entry.getValue().dtype().byteSize())
                        .thenComparing(Map.Entry::getKey))
                .toList();
    }

    /** The names put so far, sorted. */
    Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    /** Bytes of all tensors together: the size of the data section. */
    long dataSize() {
        long total = 0;
        for (Pending tensor : layout().stream().map(Map.Entry::getValue).toList()) {
            total += tensor.data().remaining();
        }
        return total;
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes. */
    private byte[] header(Path file) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode entries = root.putObject(SafetensorsFile.METADATA_KEY);
            metadata.forEach(entries::put);
        }
        long offset = 0;
        for (Map.Entry<String, Pending> entry : layout()) {
            Pending tensor = entry.getValue();
            long length = tensor.data().remaining();
            ObjectNode node = root.putObject(entry.getKey());
            node.put("dtype", tensor.dtype().name());
            ArrayNode shape = node.putArray("shape");
            for (long dimension : tensor.shape()) {
                shape.add(dimension);
            }
            node.putArray("data_offsets").add(offset).add(offset + length);
            offset += length;
        }
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new SafetensorsException(file + ": could not build the JSON header (" + e.getOriginalMessage() + ")", e);
        }
        int padded = (json.length + 7) & ~7;
        if (padded > SafetensorsFile.MAX_HEADER_LENGTH) {
            throw new SafetensorsException(file + ": the header would take " + padded + " bytes; readers accept at most "
                    + SafetensorsFile.MAX_HEADER_LENGTH);
        }
        byte[] header = Arrays.copyOf(json, padded);
        Arrays.fill(header, json.length, padded, (byte) ' ');
        return header;
    }
}
