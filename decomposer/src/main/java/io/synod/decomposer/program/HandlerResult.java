// What a handler answers: the items, the adapter it used, and the graph path it took.
package io.synod.decomposer.program;

import io.synod.solvers.reasoning.Value;
import java.util.List;

/**
 * The answer of one handler call. {@code adapter} is the LoRA adapter a model used ({@code null} when
 * none); {@code path} is the graph path for graph steps, one element per hop (empty otherwise). Immutable.
 */
public record HandlerResult(List<Value> values, String adapter, List<String> path) {

    public HandlerResult {
        values = List.copyOf(values);
        path = path == null ? List.of() : List.copyOf(path);
    }

    /** Values with no adapter and no path, as symbolic handlers answer. */
    public static HandlerResult of(List<Value> values) {
        return new HandlerResult(values, null, List.of());
    }

    /** One literal item. */
    public static HandlerResult of(String text) {
        return of(List.of(Value.of(text)));
    }
}
