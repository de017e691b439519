// The router's cheap states: layer 0 computed in Java equals the same state from PyTorch, and the layer count is checked.
package io.synod.solvers.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.synod.adapters.safetensors.DType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterStatesTest {
    @TempDir static Path directory;
    static LanguageModel model;

    @BeforeAll
    static void load() throws Exception {
        TinyModels.write(directory, TinyModels.llama(), 11, DType.F32);
        model = LanguageModel.load(directory, RuntimeOptions.defaults());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void theLayerZeroStateComputedInJavaEqualsTheOneFromPyTorch() {
        List<String> texts = List.of("a", "Question: Which continent is Togo on?\nNext:", "mid text");
        for (LanguageModel.Pooling pooling : LanguageModel.Pooling.values()) {
            List<float[]> java = model.hiddenStates(texts, pooling, 0);
            List<float[]> torch = model.hiddenStatesOnTorch(texts, pooling, 0);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(java.get(i)).hasSize(pooling.size(model.config().hiddenSize()));
                for (int h = 0; h < java.get(i).length; h++) {
                    assertThat(java.get(i)[h]).isCloseTo(torch.get(i)[h], within(1e-4f));
                }
            }
        }
    }

    @Test
    void statesAfterFewerLayersDifferFromTheLastLayersStates() {
        float[] first = model.hiddenStates(List.of("mid text"), LanguageModel.Pooling.MEAN, 1).get(0);
        float[] last = model.meanHiddenState("mid text");
        assertThat(first).isNotEqualTo(last);
        float[] all = model.hiddenStates(List.of("mid text"), LanguageModel.Pooling.MEAN, model.config().layers()).get(0);
        for (int h = 0; h < all.length; h++) {
            assertThat(all[h]).isCloseTo(last[h], within(1e-6f));
        }
    }

    @Test
    void aLayerCountBeyondTheModelsIsRefused() {
        assertThatThrownBy(() -> model.hiddenStates(List.of("a"), LanguageModel.Pooling.MEAN, model.config().layers() + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 0 to the model's " + model.config().layers());
    }

    @Test
    void meanAndEndPoolingIsTheMeanFollowedByTheMeanOfTheClosingTokens() {
        String text = "Question: Which continent is Togo on?\nNext:";
        int hidden = model.config().hiddenSize();
        float[] both = model.hiddenStates(List.of(text), LanguageModel.Pooling.MEAN_AND_END, 2).get(0);
        float[] mean = model.hiddenStates(List.of(text), LanguageModel.Pooling.MEAN, 2).get(0);
        float[] last = model.hiddenStates(List.of(text), LanguageModel.Pooling.LAST, 2).get(0);
        assertThat(both).hasSize(2 * hidden);
        for (int h = 0; h < hidden; h++) {
            assertThat(both[h]).isCloseTo(mean[h], within(1e-6f));
        }
        assertThat(java.util.Arrays.copyOfRange(both, hidden, 2 * hidden)).isNotEqualTo(mean).isNotEqualTo(last);
        float[] one = model.hiddenStates(List.of("a"), LanguageModel.Pooling.MEAN_AND_END, 0).get(0);
        assertThat(java.util.Arrays.copyOfRange(one, hidden, 2 * hidden)).isEqualTo(java.util.Arrays.copyOf(one, hidden));
    }
}
