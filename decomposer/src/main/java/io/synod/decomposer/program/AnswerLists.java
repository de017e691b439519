// Reading and writing the JSON lists of strings on A lines.
package io.synod.decomposer.program;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** A lines hold a JSON list of strings; a bare string is read as a one-item list. */
final class AnswerLists {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AnswerLists() {
    }

    /** {@code ["a", "b"]}: JSON with ", " between items, as DecomP's prompts write it. */
    static String format(List<String> items) {
        var out = new StringBuilder("[");
        for (int index = 0; index < items.size(); index++) {
            if (index > 0) {
                out.append(", ");
            }
            try {
                out.append(JSON.writeValueAsString(items.get(index)));
            } catch (JsonProcessingException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return out.append(']').toString();
    }

    /**
     * The items of {@code text}: a JSON list whose items are strings (numbers and booleans are taken as
     * their text), or any other text as one item. Returns {@code null} when {@code text} starts like a
     * JSON list but is not a list of scalars.
     */
    static List<String> parse(String text) {
        String trimmed = text.strip();
        if (!trimmed.startsWith("[")) {
            return trimmed.isEmpty() ? List.of() : List.of(trimmed);
        }
        JsonNode node;
        try {
            node = JSON.readTree(trimmed);
        } catch (JsonProcessingException notJson) {
            return null;
        }
        if (node == null || !node.isArray()) {
            return null;
        }
        var items = new ArrayList<String>();
        for (JsonNode item : node) {
            if (!item.isValueNode() || item.isNull()) {
                return null;
            }
            items.add(item.asText());
        }
        return items;
    }
}
