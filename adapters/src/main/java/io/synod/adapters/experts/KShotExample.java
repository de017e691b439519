// One labelled example of a task, as K-shot selection reads it: a question and its answers, or a prompt and
// its completion.
package io.synod.adapters.experts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A labelled example. {@link Form#QUESTION} comes from a question-set line ({@code {"question", "answers":
 * [...]}}, other fields ignored): the model is asked the question in its direct-answer prompt and any answer
 * counts. {@link Form#PROMPT} comes from a training-data line ({@code {"prompt", "completion"}}): the model
 * continues the prompt and the completion is the one gold output. {@code source} says where it came from
 * ({@code file:line} or {@code kshot[i]}), for messages. Immutable.
 */
public record KShotExample(Form form, String input, List<String> outputs, String source) {

    /** Which shape the example was given in. */
    public enum Form { QUESTION, PROMPT }

    public KShotExample {
        Objects.requireNonNull(form, "form");
        Objects.requireNonNull(input, "input");
        outputs = List.copyOf(outputs);
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException(source + ": an example needs at least one gold output");
        }
    }

    /** The gold output scored for perplexity: the first answer, or the completion. */
    public String gold() {
        return outputs.get(0);
    }

    /**
     * An example from one JSON object.
     *
     * @param where names the object in messages ({@code file:line}, {@code kshot[2]})
     * @throws IllegalArgumentException naming {@code where} and the shape expected
     */
    public static KShotExample fromJson(JsonNode node, String where) {
        String expected = "expected {\"question\": \"...\", \"answers\": [\"...\"]} or {\"prompt\": \"...\", \"completion\": \"...\"}";
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + ": not a JSON object; " + expected);
        }
        boolean question = node.has("question");
        boolean prompt = node.has("prompt");
        if (question == prompt) {
            throw new IllegalArgumentException(where + ": " + (question ? "has both \"question\" and \"prompt\"; "
                    : "has neither \"question\" nor \"prompt\"; ") + expected);
        }
        if (question) {
            JsonNode answers = node.path("answers");
            if (!node.get("question").isTextual() || node.get("question").asText().isBlank()) {
                throw new IllegalArgumentException(where + ": \"question\" must be non-blank text; " + expected);
            }
            if (!answers.isArray() || answers.isEmpty()) {
                throw new IllegalArgumentException(where + ": \"answers\" must be a non-empty list of text; " + expected);
            }
            List<String> outputs = new ArrayList<>();
            for (JsonNode answer : answers) {
                if (!answer.isTextual() || answer.asText().isBlank()) {
                    throw new IllegalArgumentException(where + ": every answer must be non-blank text; " + expected);
                }
                outputs.add(answer.asText());
            }
            return new KShotExample(Form.QUESTION, node.get("question").asText().strip(), outputs, where);
        }
        JsonNode completion = node.path("completion");
        if (!node.get("prompt").isTextual() || node.get("prompt").asText().isEmpty()) {
            throw new IllegalArgumentException(where + ": \"prompt\" must be non-empty text; " + expected);
        }
        if (!completion.isTextual() || completion.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": \"completion\" must be non-blank text; " + expected);
        }
        return new KShotExample(Form.PROMPT, node.get("prompt").asText(), List.of(completion.asText()), where);
    }
}
