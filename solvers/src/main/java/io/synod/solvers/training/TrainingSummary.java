// What a finished training run reports: how long, how fast, and where the loss ended.
package io.synod.solvers.training;

import java.nio.file.Path;
import java.time.Duration;

/**
 * @param steps           steps taken in this run (after the resumed step, when resumed)
 * @param finalLoss       next-token loss of the last step's batch (nats per target token), before its update
 * @param tokens          tokens processed (not counting padding)
 * @param tokensPerSecond tokens per second over the run
 * @param time            time of the training loop (not counting loading, tokenizing and the final write)
 * @param output          the directory holding the final model
 */
public record TrainingSummary(int steps, double finalLoss, long tokens, double tokensPerSecond, Duration time, Path output) {}
