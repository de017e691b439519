// The JSON files kept beside an adapter (expert.json, gate.json): read strictly, written whole or not at all.
package io.synod.adapters.experts;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

final class JsonFiles {

    /** Duplicate keys and anything after the value are errors, not silently resolved. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonFiles() {
    }

    /**
     * The JSON value in {@code file}, or empty when there is no such file.
     *
     * @throws IllegalArgumentException naming the file and the first line of the parser's message when it is not JSON
     */
    static Optional<JsonNode> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode root = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
            return Optional.of(root == null ? MissingNode.getInstance() : root);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
    }

    /** Writes {@code root} (pretty-printed) to {@code file} through a sibling and an atomic move: never half-written. */
    static void write(Path file, ObjectNode root) {
        Path directory = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(directory);
            // a sibling with the default permissions (createTempFile would make it owner-only)
            Path temporary = directory.resolve("." + file.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
            try {
                Files.writeString(temporary, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n",
                        StandardCharsets.UTF_8);
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
