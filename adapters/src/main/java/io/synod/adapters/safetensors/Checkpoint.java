// The weights of a HuggingFace model directory: one safetensors file, or shards listed by an index.
package io.synod.adapters.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weights of a model directory as HuggingFace lays it out: {@value #SINGLE_FILE}, or
 * {@value #INDEX_FILE} ({@code {"metadata": {...}, "weight_map": {tensor name: shard file name}}})
 * beside the shards it names. When both are present the single file is used, as transformers does.
 * Pickled PyTorch checkpoints ({@code pytorch_model.bin}) are refused: unpickling can run code.
 *
 * <p>{@link #open} opens every file and checks that each tensor of the index is in the shard the index
 * names, so later look-ups fail only for names the checkpoint does not have. Immutable and safe to
 * share between threads; {@link #close} closes every file (see {@link SafetensorsFile#close}).
 */
public final class Checkpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Checkpoint.class);

    /** The weights of an unsharded checkpoint. */
    public static final String SINGLE_FILE = "model.safetensors";

    /** The index of a sharded checkpoint. */
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private static final List<String> PICKLED_FILES = List.of("pytorch_model.bin", "pytorch_model.bin.index.json");

    /** Far above any real index (a few hundred kilobytes for the largest models). */
    private static final long MAX_INDEX_LENGTH = 100_000_000L;

    private final Path directory;
    private final List<SafetensorsFile> files;
    private final SortedMap<String, SafetensorsFile> fileByName;
    private final Map<String, String> metadata;

    private Checkpoint(Path directory, List<SafetensorsFile> files, SortedMap<String, SafetensorsFile> fileByName,
            Map<String, String> metadata) {
        this.directory = directory;
        this.files = files;
        this.fileByName = fileByName;
        this.metadata = metadata;
    }

    /**
     * Opens the weights of a model directory.
     *
     * @throws SafetensorsException if the directory has neither {@value #SINGLE_FILE} nor
     *     {@value #INDEX_FILE}, or a file is missing or invalid; the message names the file
     */
    public static Checkpoint open(Path directory) {
        Objects.requireNonNull(directory, "directory");
        if (!Files.isDirectory(directory)) {
            throw new SafetensorsException(directory + ": not a directory; expected a model directory holding "
                    + SINGLE_FILE + " or " + INDEX_FILE);
        }
        Path single = directory.resolve(SINGLE_FILE);
        Path index = directory.resolve(INDEX_FILE);
        if (Files.isRegularFile(single)) {
            if (Files.exists(index)) {
                log.info("{} has both {} and {}; using {}", directory, SINGLE_FILE, INDEX_FILE, SINGLE_FILE);
            }
            SafetensorsFile file = SafetensorsFile.open(single);
            SortedMap<String, SafetensorsFile> fileByName = new TreeMap<>();
            for (TensorInfo tensor : file.tensors()) {
                fileByName.put(tensor.name(), file);
            }
            return new Checkpoint(directory, List.of(file), fileByName, file.metadata());
        }
        if (Files.isRegularFile(index)) {
            return openSharded(directory, index);
        }
        throw new SafetensorsException(missingWeightsMessage(directory));
    }

    /**
     * Writes a sharded checkpoint: each writer to the file name it is keyed by, then {@value #INDEX_FILE}
     * mapping every tensor to its shard, with {@code "total_size"} (bytes of tensor data) in its metadata.
     * Each file is written atomically, the index last. The directory is created if needed.
     *
     * @param shards shard file name (a plain name, such as {@code model-00001-of-00002.safetensors}) to its
     *     tensors
     * @throws IllegalArgumentException if a shard name is not a plain file name or a tensor is in two shards
     * @throws SafetensorsException naming the file that could not be written
     */
    public static void writeSharded(Path directory, Map<String, SafetensorsWriter> shards) {
        Objects.requireNonNull(directory, "directory");
        SortedMap<String, SafetensorsWriter> sorted = new TreeMap<>(shards);
        SortedMap<String, String> weightMap = new TreeMap<>();
        long totalSize = 0;
        for (Map.Entry<String, SafetensorsWriter> shard : sorted.entrySet()) {
            if (!isPlainFileName(shard.getKey())) {
                throw new IllegalArgumentException("shard '" + shard.getKey() + "': expected a plain file name");
            }
            for (String name : shard.getValue().names()) {
                String other = weightMap.put(name, shard.getKey());
                if (other != null) {
                    throw new IllegalArgumentException("tensor '" + name + "' is in two shards: '" + other + "' and '"
                            + shard.getKey() + "'");
                }
            }
            totalSize += shard.getValue().dataSize();
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new SafetensorsException(directory + ": could not create the directory (" + e + ")", e);
        }
        for (Map.Entry<String, SafetensorsWriter> shard : sorted.entrySet()) {
            shard.getValue().write(directory.resolve(shard.getKey()));
        }
        ObjectNode index = Json.MAPPER.createObjectNode();
        index.putObject("metadata").put("total_size", totalSize);
        ObjectNode map = index.putObject("weight_map");
        weightMap.forEach(map::put);
        Path indexFile = directory.resolve(INDEX_FILE);
        byte[] json;
        try {
            json = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(index);
        } catch (JsonProcessingException e) {
            throw new SafetensorsException(indexFile + ": could not build the index (" + e.getOriginalMessage() + ")", e);
        }
        AtomicWrite.write(indexFile, channel -> AtomicWrite.writeFully(channel, ByteBuffer.wrap(json)), path -> { });
    }

    /** The model directory. */
    public Path directory() {
        return directory;
    }

    /** Every tensor name, sorted; unmodifiable. */
    public Set<String> names() {
        return Collections.unmodifiableSet(fileByName.keySet());
    }

    /** Whether the checkpoint has a tensor of that name. */
    public boolean contains(String name) {
        return fileByName.containsKey(name);
    }

    /**
     * Where and how the tensor is stored; offsets are relative to its file's data section.
     *
     * @throws SafetensorsException if there is no such tensor
     */
    public TensorInfo info(String name) {
        return fileOfTensor(name).tensor(name).orElseThrow();
    }

    /**
     * The tensor's bytes, as {@link SafetensorsFile#bytes}.
     *
     * @throws SafetensorsException if there is no such tensor
     */
    public ByteBuffer bytes(String name) {
        return fileOfTensor(name).bytes(name);
    }

    /**
     * The tensor's values as floats, as {@link SafetensorsFile#floats}.
     *
     * @throws SafetensorsException if there is no such tensor or it is not a float type
     */
    public float[] floats(String name) {
        return fileOfTensor(name).floats(name);
    }

    /**
     * The file that holds the tensor.
     *
     * @throws SafetensorsException if there is no such tensor
     */
    public Path fileOf(String name) {
        return fileOfTensor(name).path();
    }

    /**
     * For a single file, its {@code __metadata__}. For shards, the index's {@code "metadata"} (values that
     * are not strings as their JSON text, so {@code total_size} reads {@code "123"}), plus the entries of
     * the shards' {@code __metadata__} that the index does not set (the first shard by file name wins).
     * Unmodifiable.
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Closes every file of the checkpoint. */
    @Override
    public void close() {
        for (SafetensorsFile file : files) {
            file.close();
        }
    }

    @Override
    public String toString() {
        return "Checkpoint[" + directory + ", " + files.size() + " files, " + fileByName.size() + " tensors]";
    }

    private SafetensorsFile fileOfTensor(String name) {
        SafetensorsFile file = fileByName.get(name);
        if (file == null) {
            throw new SafetensorsException(directory + ": the checkpoint has no tensor named '" + name + "'");
        }
        return file;
    }

    private static Checkpoint openSharded(Path directory, Path index) {
        JsonNode root = readIndex(index);
        JsonNode weightMap = root.get("weight_map");
        if (weightMap == null || !weightMap.isObject() || weightMap.isEmpty()) {
            throw new SafetensorsException(index + ": expected a non-empty object \"weight_map\" mapping tensor names"
                    + " to shard files");
        }
        // Shard file name -> the tensors the index puts there, both in sorted order.
        SortedMap<String, List<String>> namesByShard = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : weightMap.properties()) {
            JsonNode shard = entry.getValue();
            if (!shard.isTextual() || !isPlainFileName(shard.textValue())) {
                throw new SafetensorsException(index + ": tensor '" + entry.getKey() + "' maps to " + shard
                        + "; expected the file name of a shard in " + directory);
            }
            namesByShard.computeIfAbsent(shard.textValue(), shardName -> new ArrayList<>()).add(entry.getKey());
        }
        List<SafetensorsFile> files = new ArrayList<>();
        try {
            SortedMap<String, SafetensorsFile> fileByName = new TreeMap<>();
            Map<String, String> shardMetadata = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> shard : namesByShard.entrySet()) {
                Path path = directory.resolve(shard.getKey());
                List<String> names = shard.getValue();
                if (!Files.isRegularFile(path)) {
                    throw new SafetensorsException(index + ": lists shard '" + shard.getKey() + "' (for tensor '"
                            + names.get(0) + "'" + (names.size() > 1 ? " and " + (names.size() - 1) + " more" : "")
                            + "), but " + directory + " has no such file");
                }
                SafetensorsFile file = SafetensorsFile.open(path);
                files.add(file);
                for (String name : names) {
                    if (!file.contains(name)) {
                        throw new SafetensorsException(index + ": maps tensor '" + name + "' to shard '"
                                + shard.getKey() + "', but " + path + " has no tensor '" + name + "'");
                    }
                    fileByName.put(name, file);
                }
                file.metadata().forEach(shardMetadata::putIfAbsent);
            }
            Map<String, String> metadata = new LinkedHashMap<>(indexMetadata(index, root));
            shardMetadata.forEach(metadata::putIfAbsent);
            log.debug("Opened {}: {} tensors in {} shards", directory, fileByName.size(), files.size());
            return new Checkpoint(directory, List.copyOf(files), fileByName, Collections.unmodifiableMap(metadata));
        } catch (RuntimeException e) {
            for (SafetensorsFile file : files) {
                file.close();
            }
            throw e;
        }
    }

    private static JsonNode readIndex(Path index) {
        try {
            long size = Files.size(index);
            if (size > MAX_INDEX_LENGTH) {
                throw new SafetensorsException(index + ": the index is " + size + " bytes; expected at most "
                        + MAX_INDEX_LENGTH);
            }
            // Strict UTF-8: readString throws on malformed input.
            String text = Files.readString(index, StandardCharsets.UTF_8);
            JsonNode root = Json.MAPPER.readTree(text);
            if (root == null || !root.isObject()) {
                throw new SafetensorsException(index + ": expected a JSON object with \"weight_map\"");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new SafetensorsException(index + ": not valid JSON (" + e.getOriginalMessage()
                    + "); expected a JSON object with \"weight_map\"", e);
        } catch (IOException e) {
            throw new SafetensorsException(index + ": could not read the index (" + e + ")", e);
        }
    }

    private static Map<String, String> indexMetadata(Path index, JsonNode root) {
        JsonNode node = root.get("metadata");
        Map<String, String> metadata = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return metadata;
        }
        if (!node.isObject()) {
            throw new SafetensorsException(index + ": expected \"metadata\" to be an object, got " + node.getNodeType());
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            JsonNode value = entry.getValue();
            metadata.put(entry.getKey(), value.isTextual() ? value.textValue() : value.toString());
        }
        return metadata;
    }

    /** A name that resolves to a file directly inside the directory: no separator, not "." or "..". */
    private static boolean isPlainFileName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0
                && name.indexOf('\\') < 0 && name.indexOf('\0') < 0;
    }

    private static String missingWeightsMessage(Path directory) {
        StringBuilder message = new StringBuilder(directory + ": expected " + SINGLE_FILE + " or " + INDEX_FILE
                + ", found neither");
        for (String pickled : PICKLED_FILES) {
            if (Files.exists(directory.resolve(pickled))) {
                message.append(". It has ").append(pickled).append(", a pickled PyTorch checkpoint: pickled"
                        + " checkpoints are refused because unpickling can run arbitrary code. Convert it to"
                        + " safetensors with HuggingFace transformers: load the model and save it with"
                        + " model.save_pretrained(directory, safe_serialization=True)");
                break;
            }
        }
        return message.toString();
    }
}
