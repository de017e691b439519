// How a question is answered.
package io.synod.decomposer.reasoning;

import java.util.Arrays;
import java.util.Locale;

/** The answering strategies; {@link #AUTO} is the default. */
public enum Strategy {
    /** Decomposition with the graph, model and symbolic handlers, falling back to a walk when the program fails. */
    AUTO,
    /** A DecomP program written by the decomposition model, run step by step. */
    DECOMP,
    /** One graph walk (KSL) from the entities the question names. */
    KSL,
    /** DaSLaM: the solver answers, the decomposer sees that attempt and asks sub-questions, the solver re-answers. */
    DASLAM,
    /** One model call, no graph (the ablation). */
    DIRECT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the strategies when {@code text} is none of them */
    public static Strategy parse(String text) {
        for (Strategy strategy : values()) {
            if (strategy.label().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return strategy;
            }
        }
        throw new IllegalArgumentException("unknown strategy '" + text + "'; strategies are "
                + Arrays.stream(values()).map(Strategy::label).toList());
    }
}
