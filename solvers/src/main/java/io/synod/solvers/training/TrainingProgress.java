// Where a training run reports its progress: a callback every few steps and at each checkpoint.
package io.synod.solvers.training;

import io.synod.solvers.model.ModelConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;

/** Receives a report every {@link TrainingOptions#logEvery()} steps and at the last one. Called on the training thread. */
@FunctionalInterface
public interface TrainingProgress {

    /** Reports nothing. */
    TrainingProgress NONE = report -> { };

    /**
     * The state of a run after {@code step} steps.
     *
     * @param step            steps done (1 after the first update)
     * @param totalSteps      steps the run will take
     * @param epoch           the epoch of the last step (counting from 1; fractional epochs round up)
     * @param loss            mean next-token loss (nats per target token) over the steps since the previous report
     * @param learningRate    the learning rate of the last step
     * @param gradientNorm    the global gradient norm of the last step, before clipping
     * @param tokens          tokens (not counting padding) processed so far
     * @param tokensPerSecond tokens per second since the run started
     * @param elapsed         time since the run started (not counting loading and tokenizing)
     * @param remaining       estimated time to the last step, at the rate so far
     */
    record Report(int step, int totalSteps, int epoch, double loss, double learningRate, double gradientNorm,
                  long tokens, double tokensPerSecond, Duration elapsed, Duration remaining) {

        /** One line, such as {@code step 120/500  epoch 3  loss 1.2345  lr 9.80e-04  grad 0.871  5,210 tok/s  0:12 elapsed  0:38 left}. */
        public String line() {
            return String.format(Locale.ROOT, "step %d/%d  epoch %d  loss %.4f  lr %.2e  grad %.3f  %,.0f tok/s  %s elapsed  %s left",
                    step, totalSteps, epoch, loss, learningRate, gradientNorm, tokensPerSecond, clock(elapsed), clock(remaining));
        }

        private static String clock(Duration duration) {
            long seconds = duration.toSeconds();
            return seconds >= 3600
                    ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                    : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
        }
    }

    /**
     * What a run is about to do.
     *
     * @param config          the model
     * @param examples        examples read
     * @param dropped         examples left out (nothing to learn within the sequence length)
     * @param rows            rows after cutting and packing
     * @param batchesPerEpoch steps per pass over the rows
     * @param firstStep       the step the run starts from (0, or the checkpoint's step when resuming)
     * @param totalSteps      the step the run ends at
     * @param device          where it trains
     */
    record Plan(ModelConfig config, int examples, int dropped, int rows, int batchesPerEpoch, int firstStep,
                int totalSteps, String device) {

        public String line() {
            return String.format(Locale.ROOT, "training %s%n  on %,d examples (%,d rows%s), batches per epoch: %,d, steps %,d to %,d, on %s",
                    config, examples, rows, dropped > 0 ? ", " + dropped + " left out: nothing to learn within the sequence length" : "",
                    batchesPerEpoch, firstStep + 1, totalSteps, device);
        }
    }

    void onStep(Report report);

    /** The run is about to take its first step. */
    default void onStart(Plan plan) {
    }

    /** A checkpoint (or the final model) was written to {@code directory} after {@code step} steps. */
    default void onCheckpoint(int step, Path directory) {
    }

    /** Prints each report and checkpoint as a line on {@code out} (the command line's choice). */
    static TrainingProgress printingTo(PrintWriter out) {
        return new TrainingProgress() {
            @Override
            public void onStart(Plan plan) {
                out.println(plan.line());
                out.flush();
            }

            @Override
            public void onStep(Report report) {
                out.println(report.line());
                out.flush();
            }

            @Override
            public void onCheckpoint(int step, Path directory) {
                out.println("step " + step + ": wrote " + directory);
                out.flush();
            }
        };
    }

    /** Logs each report and checkpoint at INFO. */
    static TrainingProgress loggingTo(Logger log) {
        return new TrainingProgress() {
            @Override
            public void onStart(Plan plan) {
                log.info("{}", plan.line());
            }

            @Override
            public void onStep(Report report) {
                log.info("{}", report.line());
            }

            @Override
            public void onCheckpoint(int step, Path directory) {
                log.info("step {}: wrote {}", step, directory);
            }
        };
    }
}
