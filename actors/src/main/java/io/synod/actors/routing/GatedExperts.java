// Learned routing: the expert gate (trained, or by similarity) routes each sub-question, computed in the solver.
package io.synod.actors.routing;

import io.synod.decomposer.reasoning.Reasoner;
import io.synod.decomposer.reasoning.Strategy;
import io.synod.solvers.experts.GateOptions;

import java.util.Objects;

/**
 * Routes every question to the expert gate ({@code synod.experts.mode = routed}): the router answers at once
 * with {@link Reasoner.Experts#routed}, and the gate itself runs in the solver, per sub-question, where the model
 * is (it needs the base model's hidden state of each sub-question's prompt, which the router actor, on the default
 * dispatcher and without a model, must not compute). See {@link io.synod.solvers.experts.ExpertGate}.
 */
public record GatedExperts(GateOptions options) implements ExpertRouting {

    public GatedExperts {
        Objects.requireNonNull(options, "options");
    }

    @Override
    public Reasoner.Experts route(String question, Strategy strategy) {
        return Reasoner.Experts.routed(options);
    }
}
