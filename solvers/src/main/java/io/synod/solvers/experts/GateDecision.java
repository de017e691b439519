// What the gate decided for one prompt: every expert's probability, the weights applied, and the time it took.
package io.synod.solvers.experts;

import io.synod.adapters.experts.Gating.Weight;
import java.util.List;
import java.util.Locale;

/**
 * One routing decision.
 *
 * @param probabilities every candidate's gate probability, largest first
 * @param applied       the top-k, renormalised, as applied (rounded to two decimals; parts that round to zero
 *                      are dropped)
 * @param nanos         the time the gate took: the hidden state of the prompt and the arithmetic
 */
public record GateDecision(List<Weight> probabilities, List<Weight> applied, long nanos) {

    public GateDecision {
        probabilities = List.copyOf(probabilities);
        applied = List.copyOf(applied);
        if (applied.isEmpty()) {
            throw new IllegalArgumentException("a gate decision applies at least one expert");
        }
    }

    /** Rounds the kept weights to two decimals and drops those that round to zero. */
    static GateDecision of(List<Weight> probabilities, List<Weight> kept, long nanos) {
        List<Weight> rounded = kept.stream()
                .map(weight -> new Weight(weight.expert(), Math.round(weight.weight() * 100) / 100.0))
                .filter(weight -> weight.weight() > 0)
                .toList();
        return new GateDecision(probabilities, rounded.isEmpty() ? List.of(new Weight(kept.get(0).expert(), 1.0)) : rounded,
                nanos);
    }

    /** The expert with the largest weight. */
    public String top() {
        return applied.get(0).expert();
    }

    /**
     * The mixture as {@link io.synod.solvers.answering.ModelSolver} applies it and the trace shows it:
     * {@code walk:1.00} for top-1, {@code walk:0.91+decompose:0.09} for a mixture.
     */
    public String spec() {
        StringBuilder text = new StringBuilder();
        for (Weight weight : applied) {
            if (text.length() > 0) {
                text.append('+');
            }
            text.append(weight.expert()).append(':').append(String.format(Locale.ROOT, "%.2f", weight.weight()));
        }
        return text.toString();
    }
}
