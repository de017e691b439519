// AdamW against the update written out by hand, decay only where asked, no arrays left behind, saved state.
package io.synod.solvers.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdamWTest {
    static final double LEARNING_RATE = 0.1;
    static final double DECAY = 0.1;
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPSILON = 1e-8;

    NDManager manager;

    @BeforeEach
    void open() {
        manager = Engine.getEngine("PyTorch").newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** Gradient of f(x) = (x0^2 + 3 x1^2) / 2, made on the step's manager. */
    private static List<NDArray> quadraticGradient(NDArray x, NDManager step) {
        float[] value = x.toFloatArray();
        return List.of(step.create(new float[] {value[0], 3 * value[1]}));
    }

    @Test
    void theFirstTwoStepsOnAQuadraticMatchTheUpdateWrittenOut() {
        NDArray x = manager.create(new float[] {1, -2});
        AdamW optimizer = new AdamW(List.of(new AdamW.Parameter("x", x, true)), BETA1, BETA2, EPSILON, DECAY);

        // step 1: g = (1, -6); bias-corrected m / sqrt(v) = sign(g); x = 0.99 x - 0.1 sign(g)
        try (NDManager step = manager.newSubManager()) {
            optimizer.update(quadraticGradient(x, step), LEARNING_RATE, step);
        }
        float[] first = x.toFloatArray();
        assertThat((double) first[0]).isCloseTo(0.89, within(1e-6));
        assertThat((double) first[1]).isCloseTo(-1.88, within(1e-6));

        // step 2, from Loshchilov & Hutter's algorithm with PyTorch's lr-scaled decay, in doubles
        double[] g0 = {1, -6};
        double[] g1 = {0.89, 3 * -1.88};
        double[] x1 = {0.89, -1.88};
        try (NDManager step = manager.newSubManager()) {
            optimizer.update(quadraticGradient(x, step), LEARNING_RATE, step);
        }
        float[] second = x.toFloatArray();
        for (int i = 0; i < 2; i++) {
            double m = BETA1 * (1 - BETA1) * g0[i] + (1 - BETA1) * g1[i];
            double v = BETA2 * (1 - BETA2) * g0[i] * g0[i] + (1 - BETA2) * g1[i] * g1[i];
            double mHat = m / (1 - BETA1 * BETA1);
            double vHat = v / (1 - BETA2 * BETA2);
            double expected = x1[i] * (1 - LEARNING_RATE * DECAY) - LEARNING_RATE * mHat / (Math.sqrt(vHat) + EPSILON);
            assertThat((double) second[i]).as("x[%d]", i).isCloseTo(expected, within(1e-5));
        }
        assertThat((double) second[0]).isCloseTo(0.7816, within(1e-3));  // by hand: 0.8811 - 0.0995
        assertThat(optimizer.steps()).isEqualTo(2);
    }

    @Test
    void onlyParametersMarkedForDecayShrinkUnderAZeroGradient() {
        NDArray decayed = manager.create(new float[] {2, -4});
        NDArray kept = manager.create(new float[] {2, -4});
        AdamW optimizer = new AdamW(List.of(new AdamW.Parameter("decayed", decayed, true),
                new AdamW.Parameter("kept", kept, false)), BETA1, BETA2, EPSILON, DECAY);
        try (NDManager step = manager.newSubManager()) {
            optimizer.update(List.of(step.zeros(decayed.getShape()), step.zeros(kept.getShape())), LEARNING_RATE, step);
        }
        assertThat(decayed.toFloatArray()).containsExactly(2 * 0.99f, -4 * 0.99f);
        assertThat(kept.toFloatArray()).containsExactly(2, -4);
    }

    @Test
    void anUpdateLeavesNoArrayBehindOnTheParametersManager() {
        NDArray x = manager.create(new float[] {1, -2});
        AdamW optimizer = new AdamW(List.of(new AdamW.Parameter("x", x, true)), BETA1, BETA2, EPSILON, DECAY);
        int before = manager.getManagedArrays().size();
        for (int i = 0; i < 3; i++) {
            try (NDManager step = manager.newSubManager()) {
                optimizer.update(quadraticGradient(x, step), LEARNING_RATE, step);
            }
        }
        assertThat(manager.getManagedArrays()).hasSize(before);
        assertThat(x.getManager()).isSameAs(manager);
    }

    @Test
    void writtenStateGivesTheSameNextUpdateAfterReading(@TempDir Path directory) {
        NDArray x = manager.create(new float[] {1, -2});
        AdamW optimizer = new AdamW(List.of(new AdamW.Parameter("x", x, true)), BETA1, BETA2, EPSILON, DECAY);
        try (NDManager step = manager.newSubManager()) {
            optimizer.update(quadraticGradient(x, step), LEARNING_RATE, step);
        }
        Path file = directory.resolve("optimizer.safetensors");
        optimizer.write(file);

        NDArray copy = manager.create(x.toFloatArray());
        AdamW restored = new AdamW(List.of(new AdamW.Parameter("x", copy, true)), BETA1, BETA2, EPSILON, DECAY);
        restored.read(file);
        try (NDManager step = manager.newSubManager()) {
            optimizer.update(quadraticGradient(x, step), LEARNING_RATE, step);
            restored.update(quadraticGradient(copy, step), LEARNING_RATE, step);
        }
        assertThat(restored.steps()).isEqualTo(2);
        assertThat(copy.toFloatArray()).containsExactly(x.toFloatArray());
    }
}
