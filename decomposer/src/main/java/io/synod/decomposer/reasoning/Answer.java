// The answer to a question, with everything that led to it.
package io.synod.decomposer.reasoning;

import io.synod.solvers.reasoning.TraceEvent;
import io.synod.solvers.reasoning.Value;

import java.util.List;

/**
 * An answer. {@code values} is empty when the system does not know ({@link #text()} is then
 * {@value #UNKNOWN}, and {@code reason} says why); {@code program} is the DecomP program with its A lines
 * when one ran; {@code paths} are the graph paths of the walks; {@code trace} every step in order.
 * Immutable.
 */
public record Answer(String question, Strategy strategy, List<Value> values, String reason, String program,
                     List<String> paths, List<TraceEvent> trace, double millis) {

    public static final String UNKNOWN = "unknown";

    public Answer {
        values = List.copyOf(values);
        paths = List.copyOf(paths);
        trace = List.copyOf(trace);
    }

    public boolean known() {
        return !values.isEmpty();
    }

    /** The answer items joined with ", ", or {@value #UNKNOWN}. */
    public String text() {
        return values.isEmpty() ? UNKNOWN : String.join(", ", values.stream().map(Value::text).toList());
    }

    /** The first answer item (what hits@1 compares), or {@value #UNKNOWN}. */
    public String first() {
        return values.isEmpty() ? UNKNOWN : values.get(0).text();
    }
}
