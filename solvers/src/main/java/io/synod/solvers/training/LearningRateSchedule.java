// The learning rate at each step: linear warm-up, then cosine decay (Loshchilov & Hutter 2017, SGDR, without restarts).
package io.synod.solvers.training;

/**
 * Learning rate as a function of the step index {@code s} (0 for the first update):
 * <ul>
 *   <li>warm-up, {@code s < warmupSteps}: {@code peak * (s + 1) / warmupSteps}, so the first step already moves
 *       and the last warm-up step uses the peak;</li>
 *   <li>decay, {@code s >= warmupSteps}: {@code minimum + (peak - minimum) * (1 + cos(pi * p)) / 2} with
 *       {@code p = (s - warmupSteps) / (totalSteps - warmupSteps)}, from the peak down to {@code minimum};
 *       steps at or past {@code totalSteps} get {@code minimum}.</li>
 * </ul>
 * This is the schedule of HuggingFace's {@code get_cosine_schedule_with_warmup} with a floor, except that
 * warm-up starts at {@code peak / warmupSteps} rather than at 0. Immutable.
 */
public record LearningRateSchedule(double peak, double minimum, int warmupSteps, int totalSteps) {

    public LearningRateSchedule {
        if (!(peak > 0) || minimum < 0 || minimum > peak) {
            throw new IllegalArgumentException("need 0 <= minimum <= peak and peak > 0, got peak " + peak + ", minimum " + minimum);
        }
        if (warmupSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException("need warmupSteps >= 0 and totalSteps >= 1, got " + warmupSteps + " and " + totalSteps);
        }
    }

    /** The learning rate of the update with index {@code step} (counting from 0). */
    public double at(int step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be at least 0, got " + step);
        }
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        if (step >= totalSteps) {
            return minimum;
        }
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return minimum + (peak - minimum) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
