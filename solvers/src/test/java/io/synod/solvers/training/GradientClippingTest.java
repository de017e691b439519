// Clipping by global norm scales all gradients together, and only when they exceed the bound.
package io.synod.solvers.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

    @Test
    void gradientsAboveTheBoundAreScaledTogetherToIt() {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            List<NDArray> gradients = List.of(manager.create(new float[] {3}), manager.create(new float[] {0, 4}));
            double norm = GradientClipping.clipByGlobalNorm(gradients, 1.0);
            assertThat(norm).isCloseTo(5, within(1e-6));
            assertThat((double) gradients.get(0).getFloat()).isCloseTo(0.6, within(1e-5));
            assertThat((double) gradients.get(1).toFloatArray()[1]).isCloseTo(0.8, within(1e-5));
        }
    }

    @Test
    void gradientsWithinTheBoundOrWithClippingOffAreUnchanged() {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            List<NDArray> gradients = List.of(manager.create(new float[] {3, 4}));
            assertThat(GradientClipping.clipByGlobalNorm(gradients, 10)).isCloseTo(5, within(1e-6));
            assertThat(GradientClipping.clipByGlobalNorm(gradients, 0)).isCloseTo(5, within(1e-6));
            assertThat(gradients.get(0).toFloatArray()).containsExactly(3, 4);
        }
    }
}
