package io.synod.adapters.experts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.synod.adapters.experts.Gating.Weight;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatingTest {

    @Test
    void theSoftmaxSumsToOneAndALowerTemperatureSharpensIt() {
        double[] warm = Gating.softmax(new double[] {0.9, 0.8, 0.1}, 1.0);
        double[] cold = Gating.softmax(new double[] {0.9, 0.8, 0.1}, 0.02);
        assertThat(Arrays.stream(warm).sum()).isCloseTo(1.0, within(1e-12));
        assertThat(Arrays.stream(cold).sum()).isCloseTo(1.0, within(1e-12));
        assertThat(cold[0]).isGreaterThan(warm[0]).isGreaterThan(0.99);
        assertThatThrownBy(() -> Gating.softmax(new double[] {1}, 0)).hasMessageContaining("temperature");
    }

    @Test
    void theGateFavoursTheNearestCentroid() {
        List<Weight> gate = Gating.probabilities(new float[] {1, 0.1f}, List.of("walk", "decompose"),
                List.of(new float[] {0, 1}, new float[] {1, 0}), 0.1);
        assertThat(gate).extracting(Weight::expert).containsExactly("decompose", "walk");
        assertThat(gate.get(0).weight()).isGreaterThan(0.99);
    }

    @Test
    void topKKeepsTheLargestAndRenormalises() {
        List<Weight> kept = Gating.topK(List.of(new Weight("a", 0.6), new Weight("b", 0.3), new Weight("c", 0.1)), 2);
        assertThat(kept).extracting(Weight::expert).containsExactly("a", "b");
        assertThat(kept.get(0).weight()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(kept.get(1).weight()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(Gating.topK(kept, 1)).singleElement().extracting(Weight::weight).isEqualTo(1.0);
    }

    @Test
    void aCentroidIsTheMeanOfUnitVectors() {
        float[] centroid = Gating.centroid(List.of(new float[] {10, 0}, new float[] {0, 1}));
        assertThat(centroid[0]).isCloseTo(0.5f, within(1e-6f));
        assertThat(centroid[1]).isCloseTo(0.5f, within(1e-6f));
        assertThat(Gating.cosine(new float[] {1, 1}, new float[] {2, 2})).isCloseTo(1.0, within(1e-9));
    }
}
