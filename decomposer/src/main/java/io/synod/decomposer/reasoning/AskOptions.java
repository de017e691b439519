// Per-question options.
package io.synod.decomposer.reasoning;

import java.util.Objects;

/**
 * @param strategy   how to answer (default {@link Strategy#AUTO})
 * @param beamWidth  1 for greedy graph walks, more for a Think-on-Graph beam
 * @param maxHops    hops a walk may take
 * @param maxRounds  DaSLaM rounds (decompose, answer sub-questions, re-answer)
 */
public record AskOptions(Strategy strategy, int beamWidth, int maxHops, int maxRounds) {

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
    }

    public static AskOptions defaults() {
        return new AskOptions(Strategy.AUTO, 1, 4, 2);
    }

    public AskOptions withStrategy(Strategy value) {
        return new AskOptions(value, beamWidth, maxHops, maxRounds);
    }

    public AskOptions withBeamWidth(int value) {
        return new AskOptions(strategy, value, maxHops, maxRounds);
    }
}
