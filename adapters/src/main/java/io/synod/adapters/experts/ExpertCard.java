// An expert's metadata, kept beside its adapter in the catalogue as expert.json: what it does, on what, and
// a few exemplar inputs and outputs (the router's centroids are computed from the inputs).
package io.synod.adapters.experts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An expert is an adapter plus this card. The card lives in the adapter's directory as {@value #FILE}:
 * <pre>{@code
 * {
 *   "name": "walk",
 *   "description": "Chooses the next relation of a graph walk, or answer",
 *   "domain": "the bundled world graph: countries, cities, WordNet nouns",
 *   "task": "walk",
 *   "trained_on": "82,004 walk decisions from generated questions and the train split",
 *   "exemplars": [ {"input": "Question: ...\nNext:", "output": " capital\n"}, ... ]
 * }
 * }</pre>
 * {@code name} must be the adapter directory's name; {@code task} names the sub-task the expert was trained
 * for (the label routing accuracy is measured against); every exemplar needs a non-empty {@code input}.
 * Immutable.
 */
public record ExpertCard(String name, String description, String domain, String task, String trainedOn,
                         List<Exemplar> exemplars) {

    /** The card's file name in an adapter directory. */
    public static final String FILE = "expert.json";

    /** An input the expert handles and the output it should give. */
    public record Exemplar(String input, String output) {
        public Exemplar {
            Objects.requireNonNull(input, "input");
            output = output == null ? "" : output;
        }
    }


    /** @throws IllegalArgumentException when the name or task is blank or an exemplar input is empty */
    public ExpertCard {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an expert card needs a name");
        }
        description = description == null ? "" : description;
        domain = domain == null ? "" : domain;
        task = task == null || task.isBlank() ? name : task;
        trainedOn = trainedOn == null ? "" : trainedOn;
        exemplars = List.copyOf(exemplars == null ? List.of() : exemplars);
        for (int i = 0; i < exemplars.size(); i++) {
            if (exemplars.get(i).input().isEmpty()) {
                throw new IllegalArgumentException("expert '" + name + "': exemplar " + (i + 1) + " has an empty input");
            }
        }
    }

    /** The exemplars' inputs, in order. */
    public List<String> exemplarInputs() {
        return exemplars.stream().map(Exemplar::input).toList();
    }

    /**
     * The card in {@code adapterDirectory}, or empty when it has no {@value #FILE} (an adapter without metadata).
     *
     * @throws IllegalArgumentException naming the file and the field when the card is malformed, or names an
     *                                  expert other than the directory
     */
    public static Optional<ExpertCard> read(Path adapterDirectory) {
        Path file = adapterDirectory.resolve(FILE);
        Optional<JsonNode> read = JsonFiles.read(file);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        JsonNode root = read.get();
        if (!root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a JSON object with name, description, domain, task,"
                    + " trained_on and exemplars");
        }
        String name = text(root, "name", file, true);
        String directoryName = adapterDirectory.toAbsolutePath().normalize().getFileName().toString();
        if (!name.equals(directoryName)) {
            throw new IllegalArgumentException(file + ": names the expert '" + name + "' but the adapter directory is '"
                    + directoryName + "'; an expert is named after its directory");
        }
        List<Exemplar> exemplars = new ArrayList<>();
        JsonNode list = root.path("exemplars");
        if (!list.isMissingNode() && !list.isArray()) {
            throw new IllegalArgumentException(file + ": \"exemplars\" must be a list of {\"input\", \"output\"}");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode exemplar = list.get(i);
            if (!exemplar.isObject() || !exemplar.path("input").isTextual() || exemplar.path("input").asText().isEmpty()
                    || exemplar.has("output") && !exemplar.get("output").isTextual()) {
                throw new IllegalArgumentException(file + ": exemplar " + (i + 1)
                        + " must be {\"input\": \"non-empty text\", \"output\": \"text\"}");
            }
            exemplars.add(new Exemplar(exemplar.get("input").asText(), exemplar.path("output").asText("")));
        }
        return Optional.of(new ExpertCard(name, text(root, "description", file, false), text(root, "domain", file, false),
                text(root, "task", file, false), text(root, "trained_on", file, false), exemplars));
    }

    /** Writes the card into {@code adapterDirectory} as {@value #FILE} (a temporary file moved into place). */
    public void write(Path adapterDirectory) {
        ObjectNode root = JsonFiles.MAPPER.createObjectNode();
        root.put("name", name);
        root.put("description", description);
        root.put("domain", domain);
        root.put("task", task);
        root.put("trained_on", trainedOn);
        ArrayNode list = root.putArray("exemplars");
        for (Exemplar exemplar : exemplars) {
            list.addObject().put("input", exemplar.input()).put("output", exemplar.output());
        }
        JsonFiles.write(adapterDirectory.resolve(FILE), root);
    }

    private static String text(JsonNode root, String field, Path file, boolean required) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new IllegalArgumentException(file + ": \"" + field + "\" is missing");
            }
            return "";
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(file + ": \"" + field + "\" must be text, found " + value.getNodeType());
        }
        if (required && value.asText().isBlank()) {
            throw new IllegalArgumentException(file + ": \"" + field + "\" is blank");
        }
        return value.asText();
    }
}
