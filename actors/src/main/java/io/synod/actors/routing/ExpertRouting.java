// How the decomposer chooses the experts of a question: the seam where learned routing will plug in.
package io.synod.actors.routing;

import io.synod.decomposer.reasoning.Reasoner;
import io.synod.decomposer.reasoning.Strategy;

/**
 * Chooses the expert (LoRA adapter) each role of the reasoning uses for one question: decomposing, walking
 * the graph, answering directly, composing. Today {@link FixedExperts} gives every question the same experts;
 * learned routing (a gate over an expert bank, K-shot selected) is a later implementation of this interface.
 * The decomposer actor calls it once per question, from one thread at a time, on the default dispatcher:
 * implementations must be fast and must not block, and need no locking of their own.
 */
@FunctionalInterface
public interface ExpertRouting {

    /** @throws RuntimeException when no experts can be chosen; the question is then refused as unavailable */
    Reasoner.Experts route(String question, Strategy strategy);
}
