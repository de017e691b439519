// AdamW: Adam with decoupled weight decay (Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization"),
// updating the parameters in place.
package io.synod.solvers.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.synod.adapters.safetensors.DType;
import io.synod.adapters.safetensors.SafetensorsFile;
import io.synod.adapters.safetensors.SafetensorsWriter;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The AdamW update, as PyTorch's {@code torch.optim.AdamW} computes it. At step {@code t}, with gradient {@code g}:
 * <pre>
 *   theta = theta * (1 - lr * weightDecay)                       (only for parameters marked to decay)
 *   m = beta1 m + (1 - beta1) g,   v = beta2 v + (1 - beta2) g^2
 *   theta = theta - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + epsilon)
 * </pre>
 * The decay is decoupled from the gradient (it never enters m or v) and scaled by the scheduled learning rate, so
 * {@code weightDecay} means what it means in PyTorch and HuggingFace (0.1 is usual for language models).
 *
 * <p>The moments {@code m} and {@code v} are allocated beside each parameter, on its manager (the model's), and live
 * as long as it. Each update scopes its temporaries in the manager it is given. Not thread-safe.
 */
public final class AdamW {

    /** A trainable array, its name (for saved state) and whether weight decay applies to it. */
    public record Parameter(String name, NDArray value, boolean decay) {}

    private final List<Parameter> parameters;
    private final NDArray[] firstMoments;
    private final NDArray[] secondMoments;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private int steps;

    public AdamW(List<Parameter> parameters, double beta1, double beta2, double epsilon, double weightDecay) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + " and " + beta2);
        }
        if (!(epsilon > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("need epsilon > 0 and weight decay >= 0, got " + epsilon + " and " + weightDecay);
        }
        this.parameters = List.copyOf(parameters);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        firstMoments = new NDArray[this.parameters.size()];
        secondMoments = new NDArray[this.parameters.size()];
        for (int i = 0; i < firstMoments.length; i++) {
            NDArray value = this.parameters.get(i).value();
            firstMoments[i] = value.zerosLike();
            secondMoments[i] = value.zerosLike();
        }
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    /** Updates taken so far (t of the bias corrections). */
    public int steps() {
        return steps;
    }

    /**
     * Applies one update in place.
     *
     * @param gradients    one per parameter, in order, owned by {@code scratch} (they are read, not changed)
     * @param learningRate this step's learning rate
     * @param scratch      the manager of this step's temporaries; the caller closes it
     */
    public void update(List<NDArray> gradients, double learningRate, NDManager scratch) {
        if (gradients.size() != parameters.size()) {
            throw new IllegalArgumentException(gradients.size() + " gradients for " + parameters.size() + " parameters");
        }
        steps++;
        double firstCorrection = 1 - Math.pow(beta1, steps);
        double secondCorrection = 1 - Math.pow(beta2, steps);
        float stepSize = (float) (learningRate / firstCorrection);
        float decayFactor = (float) (1 - learningRate * weightDecay);
        for (int i = 0; i < parameters.size(); i++) {
            Parameter parameter = parameters.get(i);
            NDArray value = parameter.value();
            NDArray first = firstMoments[i];
            NDArray second = secondMoments[i];
            NDArray gradient = gradients.get(i);
            // Until scratch closes, ops on these land in scratch; closing it hands them back to their manager.
            value.tempAttach(scratch);
            first.tempAttach(scratch);
            second.tempAttach(scratch);
            // m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2
            first.muli((float) beta1).addi(gradient.mul((float) (1 - beta1)));
            second.muli((float) beta2).addi(gradient.square().muli((float) (1 - beta2)));
            // decoupled decay, then theta -= lr / bc1 * m / (sqrt(v) / sqrt(bc2) + eps)
            if (parameter.decay() && weightDecay > 0) {
                value.muli(decayFactor);
            }
            NDArray denominator = second.sqrt().divi((float) Math.sqrt(secondCorrection)).addi((float) epsilon);
            value.subi(first.div(denominator).muli(stepSize));
        }
    }

    /** Writes the moments ({@code <name>.exp_avg}, {@code <name>.exp_avg_sq}, as PyTorch names them) and the step count. */
    public void write(Path file) {
        SafetensorsWriter writer = SafetensorsWriter.create()
                .metadata("format", "pt")
                .metadata("step", Integer.toString(steps));
        for (int i = 0; i < parameters.size(); i++) {
            String name = parameters.get(i).name();
            long[] shape = firstMoments[i].getShape().getShape();
            writer.putFloats(name + ".exp_avg", shape, floatsOf(firstMoments[i]), DType.F32);
            writer.putFloats(name + ".exp_avg_sq", shape, floatsOf(secondMoments[i]), DType.F32);
        }
        writer.write(file);
    }

    /** Restores state written by {@link #write}; fails naming the file when a moment is missing or misshapen. */
    public void read(Path file) {
        try (SafetensorsFile state = SafetensorsFile.open(file)) {
            String step = state.metadata().get("step");
            if (step == null) {
                throw new IllegalArgumentException(file + ": no \"step\" in the metadata; expected an optimizer state written by AdamW");
            }
            for (int i = 0; i < parameters.size(); i++) {
                String name = parameters.get(i).name();
                load(state, file, name + ".exp_avg", firstMoments[i]);
                load(state, file, name + ".exp_avg_sq", secondMoments[i]);
            }
            steps = Integer.parseInt(step);
        }
    }

    private static void load(SafetensorsFile state, Path file, String key, NDArray target) {
        long[] expected = target.getShape().getShape();
        long[] stored = state.tensor(key).map(info -> info.shape()).orElseThrow(() ->
                new IllegalArgumentException(file + ": " + key + " is missing"));
        if (!Arrays.equals(stored, expected)) {
            throw new IllegalArgumentException(file + ": " + key + " has shape " + Arrays.toString(stored)
                    + " but the parameter has " + new Shape(expected));
        }
        target.set(FloatBuffer.wrap(state.floats(key)));
    }

    /** The values on the CPU as floats; a copy made for the purpose is closed at once, not left on the model's manager. */
    private static float[] floatsOf(NDArray array) {
        NDArray onCpu = array.toDevice(Device.cpu(), false);
        try {
            return onCpu.toFloatArray();
        } finally {
            if (onCpu != array) {
                onCpu.close();
            }
        }
    }
}
