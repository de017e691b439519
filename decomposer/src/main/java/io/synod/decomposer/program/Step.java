// One QS line of a program: an operation, the handler that answers, and the sub-question.
package io.synod.decomposer.program;

import java.util.List;
import java.util.Objects;

/**
 * A step of a program, as written on its {@code QS:} line. {@code question} is the sub-question with
 * its {@code #n} references still in place. Immutable.
 */
public record Step(Operation operation, String handler, String question) {

    public Step {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(question, "question");
        if (handler.isBlank()) {
            throw new IllegalArgumentException("a step needs a handler name");
        }
    }

    /** The step numbers this step refers to ({@code #n}), in order of first mention, without repeats. */
    public List<Integer> references() {
        return References.find(question);
    }

    /** The canonical {@code QS:} line: {@code QS: (operation) [handler] question}. */
    public String format() {
        return "QS: (" + operation.word() + ") [" + handler + "] " + question;
    }

    @Override
    public String toString() {
        return format();
    }
}
