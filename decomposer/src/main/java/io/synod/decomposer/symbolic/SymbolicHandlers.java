// Registers the symbolic handlers under their usual names.
package io.synod.decomposer.symbolic;

import io.synod.decomposer.program.HandlerRegistry;

/**
 * The symbolic handlers: {@code count} ({@link CountHandler}), {@code compare} ({@link CompareHandler}),
 * {@code calc} ({@link CalcHandler}), {@code union} and {@code intersect} ({@link SetHandler}). They
 * read the sub-question as written ({@code HandlerCall.template()}) with the earlier answers, so that
 * items keep their ids and aliases. Stateless and thread-safe.
 */
public final class SymbolicHandlers {

    public static final String COUNT = "count";
    public static final String COMPARE = "compare";
    public static final String CALC = "calc";
    public static final String UNION = "union";
    public static final String INTERSECT = "intersect";

    private SymbolicHandlers() {
    }

    /** Adds the five symbolic handlers to {@code builder} and returns it. */
    public static HandlerRegistry.Builder addTo(HandlerRegistry.Builder builder) {
        return builder.add(COUNT, new CountHandler())
                .add(COMPARE, new CompareHandler())
                .add(CALC, new CalcHandler())
                .add(UNION, SetHandler.union())
                .add(INTERSECT, SetHandler.intersect());
    }
}
