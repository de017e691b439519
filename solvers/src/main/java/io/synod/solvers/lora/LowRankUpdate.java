// What the forward pass adds to a projection's output: the runtime's adapters, or factors being trained.
package io.synod.solvers.lora;

import ai.djl.ndarray.NDArray;

/**
 * Adds a low-rank update to the output of one projection of a forward pass. {@link LoraBatch} applies resident
 * adapters per row; a trainer applies the factors it trains, under autograd.
 */
@FunctionalInterface
public interface LowRankUpdate {

    /**
     * The output of {@code projection} in {@code layer} with the update added.
     *
     * @param input  [B, T, in] the projection's input
     * @param output [B, T, out] the base projection's output (fused q/k/v and gate/up as {@link Projection} says)
     * @return [B, T, out]
     */
    NDArray apply(NDArray input, NDArray output, int layer, Projection projection);
}
