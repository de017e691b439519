// The training loss shared by base and adapter training: mean negative log-likelihood of the target tokens.
package io.synod.solvers.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/** Loss and gradients of one training step; every array it makes belongs to the step's manager. */
public final class NextTokenLoss {
    private NextTokenLoss() {}

    /**
     * {@code -sum(weights * log p(target)) / targets} over a batch's logits [B, T, V]. The target count is an
     * array of the step, not a Java number, which DJL would free while autograd still holds it for backward.
     */
    public static NDArray of(NDArray logits, TrainingBatches.Batch batch, NDManager step) {
        NDArray targets = step.create(batch.targets(), new Shape(batch.rows(), batch.length(), 1));
        NDArray weights = step.create(batch.weights(), new Shape(batch.rows(), batch.length()));
        // log p(target) at each position: [B, T]
        NDArray targetLogProbabilities = logits.logSoftmax(-1).gather(targets, 2).squeeze(2);
        NDArray targetCount = step.create((float) batch.targetCount());
        return targetLogProbabilities.mul(weights).sum().neg().div(targetCount);
    }

    /** The gradients of the optimizer's parameters after backward, moved to the step's manager. */
    public static List<NDArray> gradients(AdamW optimizer, NDManager step) {
        List<NDArray> gradients = new ArrayList<>();
        for (AdamW.Parameter parameter : optimizer.parameters()) {
            // the wrapper PyTorch hands out lands on the parameter's manager: move it to this step's
            NDArray gradient = parameter.value().getGradient();
            gradient.attach(step);
            gradients.add(gradient);
        }
        return gradients;
    }
}
