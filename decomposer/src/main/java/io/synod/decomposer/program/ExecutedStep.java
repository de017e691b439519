// A step that has run, with the answer it got or the error it failed with.
package io.synod.decomposer.program;

import io.synod.solvers.reasoning.Value;
import java.util.List;
import java.util.Objects;

/**
 * A step of a run. {@code number} is its position (1-based, what {@code #n} refers to); {@code id} its
 * trace id; {@code input} what the handler was given (the substituted sub-question for a single call,
 * the sub-question as written for project and filter); {@code error} is {@code null} when it succeeded.
 * Immutable.
 */
public record ExecutedStep(int number, String id, Step step, String input, List<Value> answer, String error) {

    public ExecutedStep {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(step, "step");
        answer = List.copyOf(answer);
    }

    public boolean succeeded() {
        return error == null;
    }

    /** The texts of the answer's items. */
    public List<String> answerTexts() {
        return answer.stream().map(Value::text).toList();
    }
}
