package io.synod.adapters.experts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.synod.adapters.experts.Gating.Weight;
import io.synod.adapters.experts.LinearGate.Example;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinearGateTest {

    @TempDir Path directory;

    /** Three clusters in 8 dimensions, told apart by one shared offset and noise the similarity gate would mind. */
    private static List<Example> clusters(long seed, int each) {
        Random random = new Random(seed);
        List<Example> examples = new ArrayList<>();
        String[] names = {"walk", "decompose", "gloss"};
        for (int c = 0; c < names.length; c++) {
            for (int n = 0; n < each; n++) {
                float[] embedding = new float[8];
                for (int i = 0; i < embedding.length; i++) {
                    embedding[i] = 5 + (float) random.nextGaussian() * 0.3f;
                }
                embedding[c] += 1;
                examples.add(new Example(embedding, names[c]));
            }
        }
        return examples;
    }

    @Test
    void aGateFitOnLabelledClustersRoutesUnseenExamplesOfThem() {
        LinearGate gate = LinearGate.fit(List.of("walk", "decompose", "gloss"), clusters(1, 30), 0.01, 300);
        assertThat(gate.accuracy(clusters(2, 50))).isGreaterThan(0.95);
        List<Weight> weights = gate.probabilities(clusters(3, 1).get(1).embedding());
        assertThat(weights).extracting(Weight::expert).first().isEqualTo("decompose");
        assertThat(weights.stream().mapToDouble(Weight::weight).sum()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void aWrittenGateReadsBackWithTheSameProbabilities() {
        LinearGate gate = LinearGate.fit(List.of("walk", "decompose", "gloss"), clusters(1, 10), 0.1, 50)
                .describedAs(0, "mean-and-end", "30 clusters");
        gate.write(directory);
        LinearGate read = LinearGate.read(directory).orElseThrow();
        assertThat(read.experts()).containsExactly("walk", "decompose", "gloss");
        assertThat(read.layers()).isZero();
        assertThat(read.pooling()).isEqualTo("mean-and-end");
        assertThat(read.trainedOn()).isEqualTo("30 clusters");
        float[] probe = clusters(4, 1).get(2).embedding();
        List<Weight> before = gate.probabilities(probe);
        List<Weight> after = read.probabilities(probe);
        for (int i = 0; i < before.size(); i++) {
            assertThat(after.get(i).expert()).isEqualTo(before.get(i).expert());
            assertThat(after.get(i).weight()).isCloseTo(before.get(i).weight(), within(1e-6));
        }
    }

    @Test
    void aDirectoryWithoutAGateHasNone() {
        assertThat(LinearGate.read(directory)).isEmpty();
    }

    @Test
    void aMalformedGateFileIsRefusedNamingTheFieldThatIsWrong() throws Exception {
        Files.writeString(directory.resolve(LinearGate.FILE), "{\"experts\": [\"walk\"], \"layers\": 0, \"mean\": [1, 2],"
                + " \"scale\": [1], \"weights\": [[1, 2]], \"bias\": [0]}");
        assertThatThrownBy(() -> LinearGate.read(directory)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(LinearGate.FILE).hasMessageContaining("\"scale\" must be a list of 2 numbers");
        Files.writeString(directory.resolve(LinearGate.FILE), "[");
        assertThatThrownBy(() -> LinearGate.read(directory)).hasMessageContaining("not valid JSON");
    }

    @Test
    void anExampleLabelledWithAnExpertOutsideTheGateIsRefused() {
        assertThatThrownBy(() -> LinearGate.fit(List.of("walk"), List.of(new Example(new float[] {1}, "gloss")), 0.1, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("labelled gloss, not one of the gate's experts [walk]");
    }

    @Test
    void anEmbeddingOfAnotherLengthIsRefused() {
        LinearGate gate = LinearGate.fit(List.of("walk", "decompose", "gloss"), clusters(1, 5), 0.1, 10);
        assertThatThrownBy(() -> gate.probabilities(new float[3])).hasMessageContaining("the gate was fit on 8");
    }
}
