// How the decomposer chooses the experts of a question: the seam where learned routing will plug in.
package io.synod.actors.routing;

import io.synod.decomposer.reasoning.Reasoner;
import io.synod.decomposer.reasoning.Strategy;

/**
 * Chooses the expert (LoRA adapter) each role of the reasoning uses for one question: decomposing, walking
 * the graph, answering directly, composing. {@link FixedExperts} gives every question the same experts (the
 * default); {@link GatedExperts} hands every question to the expert gate, which the solver runs per
 * sub-question (it needs the model). Implementations must be fast and must not block: the decomposer actor calls
 * them on the default dispatcher.
 */
@FunctionalInterface
public interface ExpertRouting {

    /** @throws RuntimeException when no experts can be chosen; the question is then refused as unavailable */
    Reasoner.Experts route(String question, Strategy strategy);
}
