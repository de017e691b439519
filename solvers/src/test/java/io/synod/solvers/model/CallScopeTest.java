// The memory rule: every call scopes its arrays in a sub-manager and closes it, so the model's manager does
// not grow. (The native memory over many thousands of calls is measured by a benchmark in bench.)
package io.synod.solvers.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.synod.adapters.safetensors.DType;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallScopeTest {
    private static final int CALLS = 200;

    @TempDir Path directory;

    @Test
    void twoHundredCallsLeaveTheModelsManagerHoldingTheSameArrays() throws Exception {
        TinyModels.writeRandom(directory, TinyModels.qwen2(), 51, DType.F32, false);
        try (LanguageModel model = LanguageModel.load(directory, TinyModels.CPU)) {
            // the weights' manager is the model's base manager; getManagedArrays includes its sub-managers
            NDManager base = model.weights().embedding().getManager();
            Set<NDArray> before = identitySet(base.getManagedArrays());
            assertThat(before).isNotEmpty();

            GenerationOptions greedy = GenerationOptions.greedy(3).withStopAtEos(false);
            GenerationOptions sampled = greedy.withSampling(0.8, 0.9, 7).withStopStrings(List.of("zz"));
            for (int call = 0; call < CALLS; call++) {
                switch (call % 4) {
                    case 0 -> model.generate(List.of("Lomé", "the capital of Togo"), greedy);
                    case 1 -> model.generate(List.of("abc"), sampled);
                    case 2 -> model.score("Togo uses the", List.of(" franc", " euro", " cedi and more"));
                    default -> model.logits(model.tokenizer().encode("Which currency does Togo use?"));
                }
            }

            Set<NDArray> after = identitySet(base.getManagedArrays());
            Set<NDArray> added = identitySet(List.copyOf(after));
            added.removeAll(before);
            assertThat(added.stream().map(NDArray::getShape).toList())
                    .as("shapes of the arrays the model's manager gained over %d calls", CALLS).isEmpty();
            assertThat(after).as("arrays held by the model's manager after %d calls", CALLS).hasSameSizeAs(before);
        }
    }

    private static Set<NDArray> identitySet(List<NDArray> arrays) {
        Set<NDArray> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(arrays);
        return set;
    }
}
