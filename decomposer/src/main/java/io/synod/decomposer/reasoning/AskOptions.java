// Per-question options.
package io.synod.decomposer.reasoning;

import java.util.Objects;

/**
 * @param strategy       how to answer (default {@link Strategy#AUTO})
 * @param beamWidth      1 for greedy graph walks, more for a Think-on-Graph beam
 * @param maxHops        hops a walk may take
 * @param maxRounds      DaSLaM rounds (decompose, answer sub-questions, re-answer)
 * @param walkConfidence the least confidence a greedy walk may have in a choice (the chosen option's share of the
 *                       options' likelihood); a walk less sure stops unanswered, so that the question is answered
 *                       another way or {@code unknown}, not with a guess. 0 accepts every choice.
 */
public record AskOptions(Strategy strategy, int beamWidth, int maxHops, int maxRounds, double walkConfidence) {

    /** The default {@link #walkConfidence}, chosen on the dev split (docs/reasoning.md, "Unknown"). */
    public static final double WALK_CONFIDENCE = 0.7;

    public AskOptions {
        Objects.requireNonNull(strategy, "strategy");
        if (beamWidth < 1 || beamWidth > 16) {
            throw new IllegalArgumentException("beam width must be between 1 and 16, got " + beamWidth);
        }
        if (maxHops < 1 || maxHops > 6) {
            throw new IllegalArgumentException("max hops must be between 1 and 6, got " + maxHops);
        }
        if (maxRounds < 1 || maxRounds > 4) {
            throw new IllegalArgumentException("DaSLaM rounds must be between 1 and 4, got " + maxRounds);
        }
        if (!(walkConfidence >= 0 && walkConfidence < 1)) {
            throw new IllegalArgumentException("walk confidence must be at least 0 and below 1, got " + walkConfidence);
        }
    }

    /** The options with the default walk confidence. */
    public AskOptions(Strategy strategy, int beamWidth, int maxHops, int maxRounds) {
        this(strategy, beamWidth, maxHops, maxRounds, WALK_CONFIDENCE);
    }

    public static AskOptions defaults() {
        return new AskOptions(Strategy.AUTO, 1, 4, 2);
    }

    public AskOptions withStrategy(Strategy value) {
        return new AskOptions(value, beamWidth, maxHops, maxRounds, walkConfidence);
    }

    public AskOptions withBeamWidth(int value) {
        return new AskOptions(strategy, value, maxHops, maxRounds, walkConfidence);
    }

    public AskOptions withWalkConfidence(double value) {
        return new AskOptions(strategy, beamWidth, maxHops, maxRounds, value);
    }
}
