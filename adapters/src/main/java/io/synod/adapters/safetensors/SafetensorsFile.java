// Reads a safetensors file: checks the whole header when opened, then hands out memory-mapped tensors.
package io.synod.adapters.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.DoubleBuffer;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open safetensors file. The layout: an 8-byte little-endian unsigned header length N, N bytes of
 * UTF-8 JSON mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (plus
 * an optional {@code "__metadata__"} object of strings), then the data section, little-endian and
 * row-major, with offsets relative to its first byte.
 *
 * <p>{@link #open} checks everything before returning: the header length against the file and the
 * 100 MB limit, the header as strict UTF-8 JSON (a repeated key is an error), every dtype, shape and
 * range, and that the ranges tile the data section exactly (no overlap, no gap, no trailing bytes, as
 * the format requires). A file that fails any check is refused with a {@link SafetensorsException}
 * naming the file, the tensor and what was expected; no read ever goes out of bounds.
 *
 * <p>The data is memory-mapped, never copied onto the heap: {@link #bytes} returns a read-only view.
 * Because one mapping is limited to 2 GiB, the data is mapped in windows of up to 1 GiB, each holding
 * whole tensors, so files of any size work; a single tensor over 2 GiB ({@value Integer#MAX_VALUE}
 * bytes) is listed but cannot be viewed.
 *
 * <p>Immutable after {@link #open} and safe to share between threads. {@link #close} drops this
 * object's references to the mappings; buffers already handed out stay valid until they are garbage
 * collected (Java 17 cannot unmap sooner). Changing or truncating the file while it is mapped is
 * undefined behaviour, as for every memory-mapped file.
 */
public final class SafetensorsFile implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SafetensorsFile.class);

    /** The reference implementation's limit; real headers are a few megabytes at most. */
    static final long MAX_HEADER_LENGTH = 100_000_000L;

    /** Tensors are grouped into mappings of at most this many bytes (unless one tensor alone is larger). */
    static final long WINDOW_SIZE = 1L << 30;

    static final String METADATA_KEY = "__metadata__";

    /** Where a tensor's bytes are: a window index (-1 when empty or too large to map) and an offset in it. */
    private record Located(TensorInfo info, int window, int offset) {
    }

    private final Path path;
    private final Map<String, String> metadata;
    private final List<TensorInfo> tensors;
    private final Map<String, Located> byName;
    private volatile MappedByteBuffer[] windows;

    private SafetensorsFile(Path path, Map<String, String> metadata, List<TensorInfo> tensors,
            Map<String, Located> byName, MappedByteBuffer[] windows) {
        this.path = path;
        this.metadata = metadata;
        this.tensors = tensors;
        this.byName = byName;
        this.windows = windows;
    }

    /**
     * Opens and checks a safetensors file and maps its data.
     *
     * @throws SafetensorsException if the file cannot be read or is not a valid safetensors file
     */
    public static SafetensorsFile open(Path file) {
        Objects.requireNonNull(file, "file");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new SafetensorsException(file + ": the file is " + size
                        + " bytes long; expected at least 8 (the header length)");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            // Unsigned: a value of 2^63 or more reads as negative and is refused with the rest.
            long headerLength = lengthBytes.getLong(0);
            if (headerLength < 0 || headerLength > MAX_HEADER_LENGTH) {
                throw new SafetensorsException(file + ": header length " + Long.toUnsignedString(headerLength)
                        + " exceeds the limit of " + MAX_HEADER_LENGTH + " bytes");
            }
            if (headerLength > size - 8) {
                throw new SafetensorsException(file + ": header length " + headerLength
                        + " reaches beyond the end of the file (" + size + " bytes); expected at most "
                        + (size - 8) + " (is the file truncated?)");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(channel, headerBytes, 8);
            long dataStart = 8 + headerLength;
            long dataSize = size - dataStart;

            Map<String, String> metadata = new LinkedHashMap<>();
            List<TensorInfo> tensors = parseHeader(file, headerBytes, dataSize, metadata);
            tensors.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end)
                    .thenComparing(TensorInfo::name));
            checkTiling(file, tensors, dataSize);

            Map<String, Located> byName = new HashMap<>();
            List<MappedByteBuffer> windows = new ArrayList<>();
            long windowBegin = -1;
            long windowEnd = -1;
            for (TensorInfo tensor : tensors) {
                long length = tensor.byteLength();
                if (length == 0 || length > Integer.MAX_VALUE) {
                    byName.put(tensor.name(), new Located(tensor, -1, 0));
                    continue;
                }
                if (windowBegin < 0 || tensor.end() - windowBegin > WINDOW_SIZE) {
                    if (windowBegin >= 0) {
                        windows.add(channel.map(FileChannel.MapMode.READ_ONLY, dataStart + windowBegin,
                                windowEnd - windowBegin));
                    }
                    windowBegin = tensor.begin();
                }
                windowEnd = tensor.end();
                byName.put(tensor.name(), new Located(tensor, windows.size(), (int) (tensor.begin() - windowBegin)));
            }
            if (windowBegin >= 0) {
                windows.add(channel.map(FileChannel.MapMode.READ_ONLY, dataStart + windowBegin,
                        windowEnd - windowBegin));
            }
            log.debug("Opened {}: {} tensors, {} bytes of data in {} mappings", file, tensors.size(), dataSize,
                    windows.size());
            // A mapping stays valid after its channel is closed, so the channel is closed here.
            return new SafetensorsFile(file, Collections.unmodifiableMap(metadata),
                    Collections.unmodifiableList(tensors), byName, windows.toArray(new MappedByteBuffer[0]));
        } catch (NoSuchFileException e) {
            throw new SafetensorsException(file + ": no such file; expected a safetensors file", e);
        } catch (IOException e) {
            throw new SafetensorsException(file + ": could not read the file (" + e + ")", e);
        }
    }

    /** The file this was opened from. */
    public Path path() {
        return path;
    }

    /** The header's {@code "__metadata__"} entries in file order (empty if there are none); unmodifiable. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Every tensor, in the order of its bytes in the data section; unmodifiable. */
    public List<TensorInfo> tensors() {
        return tensors;
    }

    /** The tensor of that name, if the file has one. */
    public Optional<TensorInfo> tensor(String name) {
        Located located = byName.get(name);
        return located == null ? Optional.empty() : Optional.of(located.info());
    }

    /** Whether the file has a tensor of that name. */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /**
     * A view of exactly the tensor's bytes: direct, read-only, little-endian, position 0, without a
     * copy. Each call returns a new buffer object, so callers may move its position freely.
     *
     * @throws SafetensorsException if there is no such tensor, or it is over 2 GiB
     * @throws IllegalStateException if this file has been closed
     */
    public ByteBuffer bytes(String name) {
        Located located = locate(name);
        MappedByteBuffer[] mapped = windows;
        if (mapped == null) {
            throw new IllegalStateException(path + ": the file has been closed");
        }
        TensorInfo info = located.info();
        if (info.byteLength() == 0) {
            return ByteBuffer.allocateDirect(0).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }
        if (located.window() < 0) {
            throw new SafetensorsException(path + ": tensor '" + name + "' takes " + info.byteLength()
                    + " bytes; one ByteBuffer holds at most " + Integer.MAX_VALUE
                    + ", so tensors over 2 GiB cannot be read");
        }
        return mapped[located.window()].slice(located.offset(), (int) info.byteLength())
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The tensor's values as floats, converted from F32, F16, BF16 or F64 (F64 is rounded to the nearest
     * float). A fresh array on each call.
     *
     * @throws SafetensorsException if there is no such tensor, its dtype is not a float type, or it has
     *     more elements than an array can hold
     * @throws IllegalStateException if this file has been closed
     */
    public float[] floats(String name) {
        TensorInfo info = locate(name).info();
        DType dtype = info.dtype();
        if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16 && dtype != DType.F64) {
            throw new SafetensorsException(path + ": tensor '" + name + "' has dtype " + dtype
                    + "; floats() expects F32, F16, BF16 or F64");
        }
        long count = info.elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new SafetensorsException(path + ": tensor '" + name + "' has " + count
                    + " elements; a float[] holds at most " + (Integer.MAX_VALUE - 8));
        }
        ByteBuffer data = bytes(name);
        float[] values = new float[(int) count];
        switch (dtype) {
            case F32 -> data.asFloatBuffer().get(values);
            case F64 -> {
                DoubleBuffer doubles = data.asDoubleBuffer();
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) doubles.get(i);
                }
            }
            case F16 -> {
                ShortBuffer halves = data.asShortBuffer();
                for (int i = 0; i < values.length; i++) {
                    values[i] = HalfPrecision.float16ToFloat(halves.get(i));
                }
            }
            case BF16 -> {
                ShortBuffer halves = data.asShortBuffer();
                for (int i = 0; i < values.length; i++) {
                    values[i] = HalfPrecision.bfloat16ToFloat(halves.get(i));
                }
            }
            default -> throw new AssertionError(dtype);
        }
        return values;
    }

    /** Drops the references to the mappings; later calls to {@link #bytes} and {@link #floats} fail. */
    @Override
    public void close() {
        windows = null;
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + tensors.size() + " tensors]";
    }

    private Located locate(String name) {
        Located located = byName.get(name);
        if (located == null) {
            throw new SafetensorsException(path + ": no tensor named '" + name + "'; the file has "
                    + tensors.size() + " tensors");
        }
        return located;
    }

    private static void readFully(FileChannel channel, ByteBuffer target, long position) throws IOException {
        long at = position;
        while (target.hasRemaining()) {
            int read = channel.read(target, at);
            if (read < 0) {
                throw new EOFException("the file ended at byte " + at);
            }
            at += read;
        }
        target.flip();
    }

    /** Parses the header, fills metadata, and returns the tensors with each entry checked on its own. */
    private static List<TensorInfo> parseHeader(Path file, ByteBuffer headerBytes, long dataSize,
            Map<String, String> metadata) {
        if (!headerBytes.hasRemaining() || headerBytes.get(0) != '{') {
            throw new SafetensorsException(file + ": the header must be a JSON object starting with '{'");
        }
        String text;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(headerBytes);
            text = chars.toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsException(file + ": the header is not valid UTF-8 (" + e + ")", e);
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SafetensorsException(file + ": the header is not valid JSON (" + e.getOriginalMessage()
                    + "); expected a JSON object", e);
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsException(file + ": the header must be a JSON object");
        }
        List<TensorInfo> tensors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            String key = entry.getKey();
            if (key.equals(METADATA_KEY)) {
                readMetadata(file, entry.getValue(), metadata);
            } else {
                tensors.add(parseEntry(file, key, entry.getValue(), dataSize));
            }
        }
        return tensors;
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> metadata) {
        if (!node.isObject()) {
            throw new SafetensorsException(file + ": " + METADATA_KEY
                    + " must be a JSON object of string values, got " + node.getNodeType());
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new SafetensorsException(file + ": " + METADATA_KEY + " entry '" + entry.getKey()
                        + "' must be a string, got " + entry.getValue());
            }
            metadata.put(entry.getKey(), entry.getValue().textValue());
        }
    }

    private static TensorInfo parseEntry(Path file, String key, JsonNode node, long dataSize) {
        String where = file + ": tensor '" + key + "': ";
        if (!node.isObject()) {
            throw new SafetensorsException(where + "expected an object with dtype, shape and data_offsets, got "
                    + node.getNodeType());
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new SafetensorsException(where + "expected a string \"dtype\", got " + describe(dtypeNode));
        }
        DType dtype;
        try {
            dtype = DType.fromName(dtypeNode.textValue());
        } catch (IllegalArgumentException e) {
            throw new SafetensorsException(where + e.getMessage(), e);
        }
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new SafetensorsException(where + "expected \"shape\" to be an array of non-negative integers, got "
                    + describe(shapeNode));
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!Json.isNonNegativeLong(shapeNode.get(i))) {
                throw new SafetensorsException(where + "expected \"shape\" to be an array of non-negative integers, got "
                        + shapeNode);
            }
            shape[i] = shapeNode.get(i).longValue();
        }
        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2
                || !Json.isNonNegativeLong(offsets.get(0)) || !Json.isNonNegativeLong(offsets.get(1))) {
            throw new SafetensorsException(where
                    + "expected \"data_offsets\" to be [begin, end], two non-negative integers, got " + describe(offsets));
        }
        long begin = offsets.get(0).longValue();
        long end = offsets.get(1).longValue();
        if (begin > end) {
            throw new SafetensorsException(where + "data_offsets [" + begin + ", " + end
                    + "]: expected begin <= end");
        }
        if (end > dataSize) {
            throw new SafetensorsException(where + "data_offsets [" + begin + ", " + end
                    + "] reach beyond the data section of " + dataSize + " bytes (is the file truncated?)");
        }
        long expected;
        try {
            expected = TensorInfo.byteLength(key, dtype, shape);
        } catch (IllegalArgumentException e) {
            throw new SafetensorsException(file + ": " + e.getMessage(), e);
        }
        if (end - begin != expected) {
            throw new SafetensorsException(where + dtype + " with shape " + Arrays.toString(shape) + " takes "
                    + expected + " bytes, but data_offsets [" + begin + ", " + end + "] span " + (end - begin));
        }
        return new TensorInfo(key, dtype, shape, begin, end);
    }

    private static String describe(JsonNode node) {
        return node == null ? "no such field" : node.toString();
    }

    /**
     * The format requires the tensors to cover the data section exactly once: overlapping ranges would
     * let two tensors alias, and gaps or trailing bytes could hide other content (a polyglot file).
     */
    private static void checkTiling(Path file, List<TensorInfo> sortedByOffset, long dataSize) {
        long covered = 0;
        TensorInfo previous = null;
        for (TensorInfo tensor : sortedByOffset) {
            if (tensor.begin() < covered) {
                throw new SafetensorsException(file + ": tensors '" + previous.name() + "' [" + previous.begin()
                        + ", " + previous.end() + ") and '" + tensor.name() + "' [" + tensor.begin() + ", "
                        + tensor.end() + ") overlap; expected disjoint byte ranges");
            }
            if (tensor.begin() > covered) {
                throw new SafetensorsException(file + ": bytes [" + covered + ", " + tensor.begin()
                        + ") of the data section, before tensor '" + tensor.name()
                        + "', belong to no tensor; expected the tensors to cover the data section without gaps");
            }
            covered = tensor.end();
            previous = tensor;
        }
        if (covered != dataSize) {
            throw new SafetensorsException(file + ": the data section has " + dataSize
                    + " bytes but the tensors end at byte " + covered + "; expected no bytes after the last tensor");
        }
    }
}
