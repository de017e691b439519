// The settings of the similarity gate: which experts it routes among, its temperature and how many it mixes.
package io.synod.solvers.experts;

import java.util.List;

/**
 * @param experts     the experts routed among; empty for every resident expert with exemplars
 * @param temperature the softmax temperature over cosine similarities (lower is sharper), above 0
 * @param topK        how many experts a call mixes: 1 routes to one adapter, 2 or more mix their updates in one
 *                    forward pass with the renormalised gate weights
 */
public record GateOptions(List<String> experts, double temperature, int topK) {

    /** The default temperature: cosines of mean-pooled states differ by a few hundredths between tasks. */
    public static final double DEFAULT_TEMPERATURE = 0.02;

    /** At most this many experts are mixed in one call. */
    public static final int MAX_TOP_K = 8;

    /** @throws IllegalArgumentException naming the setting that is out of range */
    public GateOptions {
        experts = List.copyOf(experts == null ? List.of() : experts);
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("the gate's temperature must be a positive number, got " + temperature);
        }
        if (topK < 1 || topK > MAX_TOP_K) {
            throw new IllegalArgumentException("the gate's top-k must be between 1 and " + MAX_TOP_K + ", got " + topK);
        }
    }

    /** Every expert with exemplars, temperature {@value #DEFAULT_TEMPERATURE}, top-1. */
    public static GateOptions defaults() {
        return new GateOptions(List.of(), DEFAULT_TEMPERATURE, 1);
    }

    public GateOptions withTopK(int k) {
        return new GateOptions(experts, temperature, k);
    }

    public GateOptions withTemperature(double value) {
        return new GateOptions(experts, value, topK);
    }

    public GateOptions withExperts(List<String> names) {
        return new GateOptions(names, temperature, topK);
    }
}
