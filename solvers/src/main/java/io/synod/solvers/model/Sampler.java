// Picks the next token from logits: greedy, or temperature and nucleus (top-p) sampling with a seed.
package io.synod.solvers.model;

import java.util.Random;

/** Not thread-safe: one sampler per generation call. */
final class Sampler {
    private final double temperature;
    private final double topP;
    private final Random random;

    Sampler(GenerationOptions options) {
        this.temperature = options.temperature();
        this.topP = options.topP();
        this.random = new Random(options.seed());
    }

    /** The next token from {@code logits[offset, offset + vocabulary)}. */
    int next(float[] logits, int offset, int vocabulary) {
        if (temperature == 0) {
            return argMax(logits, offset, vocabulary);
        }
        // softmax(logits / temperature), computed stably from the maximum
        double max = logits[offset + argMax(logits, offset, vocabulary)];
        double[] probabilities = new double[vocabulary];
        double sum = 0;
        for (int i = 0; i < vocabulary; i++) {
            probabilities[i] = Math.exp((logits[offset + i] - max) / temperature);
            sum += probabilities[i];
        }
        Integer[] order = new Integer[vocabulary];
        for (int i = 0; i < vocabulary; i++) {
            order[i] = i;
            probabilities[i] /= sum;
        }
        // nucleus: the smallest set of most likely tokens whose mass reaches topP (Holtzman et al. 2020)
        java.util.Arrays.sort(order, (a, b) -> Double.compare(probabilities[b], probabilities[a]));
        double mass = 0;
        int kept = 0;
        while (kept < vocabulary && (mass < topP || kept == 0)) {
            mass += probabilities[order[kept++]];
        }
        double draw = random.nextDouble() * mass;
        for (int i = 0; i < kept; i++) {
            draw -= probabilities[order[i]];
            if (draw <= 0) {
                return order[i];
            }
        }
        return order[kept - 1];
    }

    static int argMax(float[] values, int offset, int length) {
        int best = 0;
        for (int i = 1; i < length; i++) {
            if (values[offset + i] > values[offset + best]) {
                best = i;
            }
        }
        return best;
    }
}
