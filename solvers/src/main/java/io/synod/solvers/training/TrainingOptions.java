// The settings of one training run: length, batches, optimiser, schedule, seed, checkpoints and progress.
package io.synod.solvers.training;

import io.synod.solvers.model.RuntimeOptions.DevicePreference;
import java.nio.file.Path;

/**
 * Options of a training run. Immutable; checked when built, with messages that name the setting.
 *
 * @param steps            optimiser steps to take; 0 means {@code epochs} passes over the data instead
 * @param epochs           passes over the data when {@code steps} is 0 (the last batch of a pass may be smaller)
 * @param batchSize        rows per step
 * @param sequenceLength   longest row in tokens: longer examples are cut at the end; also the longest position trained
 * @param pack             put several whole examples in one row (each attends only to itself, positions restart at 0),
 *                         instead of one example per row; fewer padded tokens when examples are short
 * @param learningRate     the peak learning rate, reached at the end of warm-up
 * @param minLearningRate  where the cosine decay ends, at the last step
 * @param warmupSteps      steps of linear warm-up from {@code learningRate / warmupSteps} to {@code learningRate}
 * @param weightDecay      AdamW's decoupled weight decay (applied to the projection matrices only, see {@link AdamW})
 * @param clipNorm         largest global gradient norm; larger gradients are scaled down to it; 0 turns clipping off
 * @param seed             seed of the initial weights and of the data order
 * @param checkpointEvery  write a resumable checkpoint every this many steps ({@code checkpoint-<step>} under the
 *                         output directory); 0 writes only the final model
 * @param logEvery         report progress every this many steps (and at the last step)
 * @param resumeFrom       a checkpoint directory written by an earlier run with the same data and seed to continue
 *                         from, or null to start afresh
 * @param device           AUTO trains on a GPU when DJL sees one, else on the CPU
 * @param threads          PyTorch intra-op threads during the run (restored afterwards); 0 keeps the engine's
 *                         setting (one per core)
 */
public record TrainingOptions(
        int steps,
        int epochs,
        int batchSize,
        int sequenceLength,
        boolean pack,
        double learningRate,
        double minLearningRate,
        int warmupSteps,
        double weightDecay,
        double clipNorm,
        long seed,
        int checkpointEvery,
        int logEvery,
        Path resumeFrom,
        DevicePreference device,
        int threads) {

    public TrainingOptions {
        require(steps >= 0, "steps must be at least 0 (0: train for a number of epochs), got " + steps);
        require(epochs >= 0, "epochs must be at least 0, got " + epochs);
        require(steps > 0 || epochs > 0, "either steps or epochs must be positive");
        require(batchSize > 0, "batch size must be at least 1, got " + batchSize);
        require(sequenceLength >= 2, "sequence length must be at least 2 tokens, got " + sequenceLength);
        require(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be positive, got " + learningRate);
        require(minLearningRate >= 0 && minLearningRate <= learningRate,
                "minimum learning rate must be between 0 and the learning rate (" + learningRate + "), got " + minLearningRate);
        require(warmupSteps >= 0, "warm-up steps must be at least 0, got " + warmupSteps);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight decay must be at least 0, got " + weightDecay);
        require(clipNorm >= 0 && !Double.isNaN(clipNorm), "clip norm must be at least 0 (0: no clipping), got " + clipNorm);
        require(checkpointEvery >= 0, "checkpoint interval must be at least 0 (0: final model only), got " + checkpointEvery);
        require(logEvery > 0, "progress interval must be at least 1 step, got " + logEvery);
        require(device != null, "device must be given");
        require(threads >= 0, "threads must be at least 0 (0: the engine's default), got " + threads);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * One epoch in batches of 8 rows of up to 256 tokens, learning rate 1e-3 with 20 warm-up steps and cosine decay
     * to 0, weight decay 0.1, gradients clipped at norm 1, seed 0, progress every 10 steps, no intermediate
     * checkpoints, on a GPU when there is one, with the engine's threads.
     */
    public static TrainingOptions defaults() {
        return new TrainingOptions(0, 1, 8, 256, false, 1e-3, 0, 20, 0.1, 1.0, 0, 0, 10, null, DevicePreference.AUTO, 0);
    }

    public TrainingOptions withSteps(int count) {
        return new TrainingOptions(count, epochs, batchSize, sequenceLength, pack, learningRate, minLearningRate,
                warmupSteps, weightDecay, clipNorm, seed, checkpointEvery, logEvery, resumeFrom, device, threads);
    }

    public TrainingOptions withEpochs(int count) {
        return new TrainingOptions(0, count, batchSize, sequenceLength, pack, learningRate, minLearningRate,
                warmupSteps, weightDecay, clipNorm, seed, checkpointEvery, logEvery, resumeFrom, device, threads);
    }

    public TrainingOptions withBatchSize(int rows) {
        return new TrainingOptions(steps, epochs, rows, sequenceLength, pack, learningRate, minLearningRate,
                warmupSteps, weightDecay, clipNorm, seed, checkpointEvery, logEvery, resumeFrom, device, threads);
    }

    public TrainingOptions withSequenceLength(int tokens) {
        return new TrainingOptions(steps, epochs, batchSize, tokens, pack, learningRate, minLearningRate,
                warmupSteps, weightDecay, clipNorm, seed, checkpointEvery, logEvery, resumeFrom, device, threads);
    }

    public TrainingOptions withPacking(boolean packed) {
        return new TrainingOptions(steps, epochs, batchSize, sequenceLength, packed, learningRate, minLearningRate,
                warmupSteps, weightDecay, clipNorm, seed, checkpointEvery, logEvery, resumeFrom, device, threads);
    }

    /** The peak and final learning rates of the schedule. */
    public TrainingOptions withLearningRate(double peak, double minimum) {
        return new TrainingOptions(steps, epochs, batchSize, sequenceLength, pack, peak, minimum,
                warmupSteps, weightDecay, clipNorm, seed, checkpointEvery, logEvery, resumeFrom, device, threads);
    }

    public TrainingOptions withWarmupSteps(int count) {
        return new TrainingOptions(steps, epochs, batchSize, sequenceLength, pack, learningRate, minLearningRate,
                count, weightDecay, clipNorm, seed, checkpointEvery, logEvery, resumeFrom, device, threads);
    }

    public TrainingOptions withWeightDecay(double decay) {
        return new TrainingOptions(steps, epochs, batchSize, sequenceLength, pack, learningRate, minLearningRate,
                warmupSteps, decay, clipNorm, seed, checkpointEvery, logEvery, resumeFrom, device, threads);
    }

    public TrainingOptions withClipNorm(double norm) {
        return new TrainingOptions(steps, epochs, batchSize, sequenceLength, pack, learningRate, minLearningRate,
                warmupSteps, weightDecay, norm, seed, checkpointEvery, logEvery, resumeFrom, device, threads);
    }

    public TrainingOptions withSeed(long value) {
        return new TrainingOptions(steps, epochs, batchSize, sequenceLength, pack, learningRate, minLearningRate,
                warmupSteps, weightDecay, clipNorm, value, checkpointEvery, logEvery, resumeFrom, device, threads);
    }

    public TrainingOptions withCheckpointEvery(int stepCount) {
        return new TrainingOptions(steps, epochs, batchSize, sequenceLength, pack, learningRate, minLearningRate,
                warmupSteps, weightDecay, clipNorm, seed, stepCount, logEvery, resumeFrom, device, threads);
    }

    public TrainingOptions withLogEvery(int stepCount) {
        return new TrainingOptions(steps, epochs, batchSize, sequenceLength, pack, learningRate, minLearningRate,
                warmupSteps, weightDecay, clipNorm, seed, checkpointEvery, stepCount, resumeFrom, device, threads);
    }

    public TrainingOptions withResumeFrom(Path checkpoint) {
        return new TrainingOptions(steps, epochs, batchSize, sequenceLength, pack, learningRate, minLearningRate,
                warmupSteps, weightDecay, clipNorm, seed, checkpointEvery, logEvery, checkpoint, device, threads);
    }

    public TrainingOptions withDevice(DevicePreference preference) {
        return new TrainingOptions(steps, epochs, batchSize, sequenceLength, pack, learningRate, minLearningRate,
                warmupSteps, weightDecay, clipNorm, seed, checkpointEvery, logEvery, resumeFrom, preference, threads);
    }

    public TrainingOptions withThreads(int count) {
        return new TrainingOptions(steps, epochs, batchSize, sequenceLength, pack, learningRate, minLearningRate,
                warmupSteps, weightDecay, clipNorm, seed, checkpointEvery, logEvery, resumeFrom, device, count);
    }
}
