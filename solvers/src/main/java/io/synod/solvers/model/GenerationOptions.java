// How to generate: length, sampling, stop conditions.
package io.synod.solvers.model;

import java.util.List;

/**
 * Options of one generation call.
 *
 * @param maxNewTokens most tokens to generate per prompt
 * @param temperature  0 for greedy decoding; otherwise logits are divided by it before sampling
 * @param topP         nucleus sampling: sample among the most likely tokens whose probabilities sum to topP (1 = all)
 * @param seed         seed of the sampler, so that sampling repeats exactly
 * @param stopStrings  generation of a prompt ends when its text contains one of these (which is cut off)
 * @param stopAtEos    whether the end-of-sequence token ends a prompt's generation
 * @param constraint   the continuations every prompt's generation is restricted to, or null for any text
 */
public record GenerationOptions(int maxNewTokens, double temperature, double topP, long seed,
                                List<String> stopStrings, boolean stopAtEos, TokenConstraint constraint) {

    public GenerationOptions(int maxNewTokens, double temperature, double topP, long seed, List<String> stopStrings,
                             boolean stopAtEos) {
        this(maxNewTokens, temperature, topP, seed, stopStrings, stopAtEos, null);
    }

    public GenerationOptions {
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("maxNewTokens must be at least 0, got " + maxNewTokens);
        }
        if (temperature < 0 || Double.isNaN(temperature)) {
            throw new IllegalArgumentException("temperature must be at least 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        stopStrings = List.copyOf(stopStrings);
    }

    /** Greedy decoding of up to {@code maxNewTokens}, stopping at end of sequence. */
    public static GenerationOptions greedy(int maxNewTokens) {
        return new GenerationOptions(maxNewTokens, 0, 1, 0, List.of(), true);
    }

    public GenerationOptions withSampling(double temperature, double topP, long seed) {
        return new GenerationOptions(maxNewTokens, temperature, topP, seed, stopStrings, stopAtEos, constraint);
    }

    public GenerationOptions withStopStrings(List<String> stops) {
        return new GenerationOptions(maxNewTokens, temperature, topP, seed, stops, stopAtEos, constraint);
    }

    public GenerationOptions withStopAtEos(boolean stop) {
        return new GenerationOptions(maxNewTokens, temperature, topP, seed, stopStrings, stop, constraint);
    }

    /** Restricts generation to the constraint's continuations (see {@link TokenConstraint}). */
    public GenerationOptions withConstraint(TokenConstraint allowed) {
        return new GenerationOptions(maxNewTokens, temperature, topP, seed, stopStrings, stopAtEos, allowed);
    }
}
