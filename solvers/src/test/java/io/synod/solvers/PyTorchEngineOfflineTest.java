// Checks that DJL's PyTorch engine starts from the native library on the Maven classpath, offline.
package io.synod.solvers;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class PyTorchEngineOfflineTest {

    @Test
    void theEngineRunsOfflineFromTheBundledNativeLibrary() {
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        Engine engine = Engine.getEngine("PyTorch");
        assertThat(engine.getVersion()).startsWith("2.7.1");
        try (NDManager manager = engine.newBaseManager()) {
            NDArray product = manager.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2))
                    .matMul(manager.create(new float[] {1, 0, 0, 1}, new ai.djl.ndarray.types.Shape(2, 2)));
            assertThat(product.toFloatArray()).containsExactly(1, 2, 3, 4);
        }
    }
}
