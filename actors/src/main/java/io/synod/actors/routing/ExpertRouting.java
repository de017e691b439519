// How the expert router chooses the experts of a question: the seam where learned routing will plug in.
package io.synod.actors.routing;

import io.synod.decomposer.reasoning.Reasoner;
import io.synod.decomposer.reasoning.Strategy;

/**
 * Chooses the expert (LoRA adapter) each role of the reasoning uses for one question: decomposing, walking
 * the graph, answering directly, composing. Today {@link FixedExperts} gives every question the same experts;
 * learned routing (a gate over an expert bank, K-shot selected) is a later implementation of this interface.
 * Implementations must be fast and must not block: the router actor calls them on the default dispatcher.
 */
@FunctionalInterface
public interface ExpertRouting {

    Reasoner.Experts route(String question, Strategy strategy);
}
