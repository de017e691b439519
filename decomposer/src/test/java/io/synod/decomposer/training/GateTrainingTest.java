package io.synod.decomposer.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GateTrainingTest {

    private static final List<float[]> POOL = List.of(new float[] {1, 0}, new float[] {0.9f, 0.1f}, new float[] {0, 1},
            new float[] {0.1f, 0.9f}, new float[] {-1, 0});

    @Test
    void eachExemplarInTurnTakesItsNearestUntakenExample() {
        List<float[]> shots = List.of(new float[] {1, 0}, new float[] {0, 1});
        assertThat(GateTraining.nearest(shots, POOL, 4)).containsExactly(0, 2, 1, 3);
    }

    @Test
    void noExampleIsTakenTwiceAndThePoolBoundsTheCount() {
        List<float[]> shots = List.of(new float[] {1, 0}, new float[] {1, 0.01f});
        assertThat(GateTraining.nearest(shots, POOL, 10)).hasSize(5).doesNotHaveDuplicates();
    }
}
