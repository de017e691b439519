// One item of an answer: the text a person reads, and the graph node it names when it names one.
package io.synod.solvers.reasoning;

import java.util.List;
import java.util.Objects;

/**
 * An answer item. {@code text} is what is printed and compared; {@code id} is the IRI of the graph
 * node the text names ({@code null} for literals, numbers, yes/no and model text); {@code aliases}
 * are the node's other labels, so that symbolic handlers can match a name written another way.
 * Immutable.
 */
public record Value(String text, String id, List<String> aliases) {

    public Value {
        Objects.requireNonNull(text, "text");
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }

    /** A value that names no graph node. */
    public static Value of(String text) {
        return new Value(text, null, List.of());
    }

    /** A value naming a graph node. */
    public static Value entity(String label, String id, List<String> aliases) {
        return new Value(label, id, aliases);
    }

    /** Every name this value answers to: its text first, then its aliases. */
    public List<String> names() {
        if (aliases.isEmpty()) {
            return List.of(text);
        }
        var names = new java.util.ArrayList<String>(aliases.size() + 1);
        names.add(text);
        names.addAll(aliases);
        return List.copyOf(names);
    }
}
