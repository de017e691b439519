// Reads a K-shot file: JSON Lines of labelled examples, checked line by line.
package io.synod.adapters.experts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** K-shot examples from JSON Lines or from a JSON list; every failure names the file and line (or index). */
public final class KShotExamples {

    /** The most examples one selection takes: K-shot means few, and each costs a generation per candidate. */
    public static final int MAX_EXAMPLES = 500;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private KShotExamples() {
    }

    /**
     * Reads {@code file}: one example per line (blank lines skipped), see {@link KShotExample#fromJson}.
     *
     * @throws IllegalArgumentException naming the file (and line) when it is missing, empty, or a line is malformed
     */
    public static List<KShotExample> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("the K-shot file " + file + " does not exist");
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException("the K-shot file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the K-shot file " + file + ": " + e.getMessage(), e);
        }
        List<KShotExample> examples = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String where = file + ":" + (i + 1);
            JsonNode node;
            try {
                node = MAPPER.readTree(line);
            } catch (IOException e) {
                throw new IllegalArgumentException(where + ": not a JSON object: "
                        + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            }
            examples.add(KShotExample.fromJson(node, where));
            if (examples.size() > MAX_EXAMPLES) {
                throw new IllegalArgumentException(file + " holds more than " + MAX_EXAMPLES + " examples; K-shot"
                        + " selection takes a few (K), each run by every candidate");
            }
        }
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("the K-shot file " + file + " holds no examples; expected JSON Lines of"
                    + " {\"question\", \"answers\"} or {\"prompt\", \"completion\"}");
        }
        return List.copyOf(examples);
    }

    /**
     * Examples from a JSON list (the HTTP body's {@code kshot}).
     *
     * @param name what the list is called in messages ({@code kshot})
     * @throws IllegalArgumentException naming {@code name[i]} of the first bad element, or the list when it is empty
     */
    public static List<KShotExample> of(JsonNode list, String name) {
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("\"" + name + "\" must be a list of examples");
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("\"" + name + "\" holds no examples; expected {\"question\", \"answers\"}"
                    + " or {\"prompt\", \"completion\"} objects");
        }
        if (list.size() > MAX_EXAMPLES) {
            throw new IllegalArgumentException("\"" + name + "\" holds " + list.size() + " examples; at most "
                    + MAX_EXAMPLES + " are accepted");
        }
        List<KShotExample> examples = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            examples.add(KShotExample.fromJson(list.get(i), name + "[" + i + "]"));
        }
        return List.copyOf(examples);
    }
}
