// The forward pass under autograd: gradients must not depend on when the garbage collector runs.
package io.synod.solvers.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.synod.solvers.model.Transformer;
import io.synod.solvers.model.TransformerWeights;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DJL's PyTorch engine turns a Java number operand ({@code x.mul(2f)}, {@code x.pow(-0.5f)}) into a scalar tensor over
 * a direct buffer and closes it right after the op; autograd keeps that tensor for the backward pass, and once the
 * garbage collector frees the buffer the backward pass reads whatever is there. So the differentiable path must
 * not use number operands. This test frees and overwrites such buffers between forward and backward.
 */
class AutogradTest {

    @Test
    void gradientsAreTheSameWhenTheGarbageCollectorRunsBetweenForwardAndBackward() {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = engine.newBaseManager()) {
            TransformerWeights weights = TransformerWeights.random(TrainerTest.tinyConfig(), manager, 3, 0.1f);
            Transformer transformer = Transformer.create(weights, 16, manager);
            List<AdamW.Parameter> parameters = Trainer.parametersOf(weights);
            parameters.forEach(parameter -> parameter.value().setRequiresGradient(true));

            List<float[]> reference = gradients(engine, manager, transformer, parameters, false);
            for (int trial = 0; trial < 3; trial++) {
                List<float[]> churned = gradients(engine, manager, transformer, parameters, true);
                for (int i = 0; i < parameters.size(); i++) {
                    assertThat(churned.get(i)).as("trial %d, %s", trial, parameters.get(i).name())
                            .containsExactly(reference.get(i));
                }
            }
        }
    }

    /** Gradients of the next-token loss of one fixed sequence; with {@code churn}, collects garbage before backward. */
    private static List<float[]> gradients(Engine engine, NDManager manager, Transformer transformer,
                                           List<AdamW.Parameter> parameters, boolean churn) {
        int length = 8;
        long[] tokens = new long[length];
        long[] positions = new long[length];
        long[] targets = new long[length];
        float[] mask = new float[length * length];
        for (int t = 0; t < length; t++) {
            tokens[t] = 'a' + t;
            positions[t] = t;
            targets[t] = 'a' + t + 1;
            Arrays.fill(mask, t * length + t + 1, (t + 1) * length, Float.NEGATIVE_INFINITY);
        }
        List<float[]> gradients = new ArrayList<>();
        try (NDManager step = manager.newSubManager()) {
            try (GradientCollector collector = engine.newGradientCollector()) {
                NDArray logits = transformer.forward(step.create(tokens, new Shape(1, length)),
                        step.create(positions, new Shape(1, length)), step.create(mask, new Shape(1, 1, 1, length, length)));
                NDArray loss = logits.logSoftmax(-1).gather(step.create(targets, new Shape(1, length, 1)), 2).sum().neg();
                if (churn) {
                    churnDirectMemory();
                }
                collector.backward(loss);
            }
            for (AdamW.Parameter parameter : parameters) {
                NDArray gradient = parameter.value().getGradient();
                gradient.attach(step);
                gradients.add(gradient.toFloatArray());
                gradient.muli(0);
            }
        }
        return gradients;
    }

    /** Lets the collector free unreachable direct buffers, then hands their memory out again, filled with NaN. */
    private static void churnDirectMemory() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        List<ByteBuffer> filler = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(4);
            buffer.putFloat(0, Float.NaN);
            filler.add(buffer);
        }
        assertThat(filler).hasSize(20_000);
    }
}
