// The routing of today: the same experts for every question.
package io.synod.actors.routing;

import io.synod.decomposer.reasoning.Reasoner;
import io.synod.decomposer.reasoning.Strategy;

import java.util.Objects;

/** Routes every question to the same experts (for example {@link Reasoner.Experts#standard()}). */
public record FixedExperts(Reasoner.Experts experts) implements ExpertRouting {

    public FixedExperts {
        Objects.requireNonNull(experts, "experts");
    }

    @Override
    public Reasoner.Experts route(String question, Strategy strategy) {
        return experts;
    }
}
