// One step of the reasoning behind an answer, as a person reads it and a program checks it.
package io.synod.solvers.reasoning;

import java.util.List;
import java.util.Objects;

/**
 * A step of a question's reasoning. {@code id} is unique within the question ("1", "1.2", ...);
 * {@code parent} is the id of the step that caused it ({@code null} for a top-level step);
 * {@code handler} names what ran it ({@code kg}, {@code lm}, {@code count}, {@code decomposer}, ...);
 * {@code adapter} is the LoRA adapter the model used ({@code null} when no model ran or none was
 * applied); {@code path} is the graph path for graph steps, one element per hop written
 * {@code entity -relation-> entity} (empty otherwise); {@code error} is {@code null} when the step
 * succeeded. Times are milliseconds: {@code startMillis} since the question started. Immutable.
 */
public record TraceEvent(
        String id,
        String parent,
        String handler,
        String input,
        String output,
        String adapter,
        double startMillis,
        double durationMillis,
        String error,
        List<String> path) {

    public TraceEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(handler, "handler");
        input = input == null ? "" : input;
        output = output == null ? "" : output;
        path = path == null ? List.of() : List.copyOf(path);
    }

    public boolean failed() {
        return error != null;
    }
}
