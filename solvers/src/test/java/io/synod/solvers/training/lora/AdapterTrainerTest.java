// Training a LoRA adapter on a frozen random base: what it writes, that it loads back exactly, and that it learns.
package io.synod.solvers.training.lora;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import io.synod.adapters.lora.LoraAdapter;
import io.synod.adapters.lora.LoraModule;
import io.synod.adapters.lora.TargetModules;
import io.synod.adapters.safetensors.SafetensorsFile;
import io.synod.adapters.safetensors.TensorInfo;
import io.synod.solvers.lora.AdapterMix;
import io.synod.solvers.lora.ResidentAdapter;
import io.synod.solvers.model.GenerationOptions;
import io.synod.solvers.model.GenerationResult;
import io.synod.solvers.model.LanguageModel;
import io.synod.solvers.model.TokenListener;
import io.synod.solvers.training.TrainingData;
import io.synod.solvers.training.TrainingExample;
import io.synod.solvers.training.TrainingProgress;
import io.synod.solvers.training.TrainingSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterTrainerTest {
    @TempDir static Path directory;
    static Path base;
    static Path output;
    static AdapterTrainer trainer;
    static List<float[]> baseBefore;
    static List<TrainingProgress.Report> reports = new ArrayList<>();
    static TrainingSummary summary;

    /** The example: rank 8, alpha 16 on q_proj and v_proj. */
    @BeforeAll
    static void train() throws Exception {
        base = AdapterFixtures.writeBase(directory.resolve("base"), 3, 0.25f);
        output = directory.resolve("capitals");
        trainer = AdapterTrainer.open(base, AdapterOptions.defaults().withName("capitals"),
                AdapterFixtures.options(150, 2e-2).withLogEvery(30));
        baseBefore = floats(trainer.base().parameters());
        summary = trainer.train(TrainingData.of(AdapterFixtures.CAPITALS), output, reports::add);
    }

    @AfterAll
    static void close() {
        trainer.close();
    }

    private static List<float[]> floats(List<NDArray> arrays) {
        return arrays.stream().map(NDArray::toFloatArray).toList();
    }

    private static double maxDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void theBaseWeightsAreBitIdenticalAfterTrainingAndOnlyTheFactorsMoved() {
        List<float[]> after = floats(trainer.base().parameters());
        for (int i = 0; i < after.size(); i++) {
            assertThat(after.get(i)).as("base array %d", i).containsExactly(baseBefore.get(i));
        }
        for (LoraModule module : trainer.trainedFactors().modules()) {
            // B starts at zero
            assertThat(maxDifference(module.b(), new float[module.b().length])).as(module.module()).isGreaterThan(1e-3);
        }
    }

    @Test
    void theOutputIsAPeftAdapterWithTheRequestedRankAlphaAndTargets() {
        LoraAdapter adapter = LoraAdapter.read("capitals", output);
        assertThat(adapter.config().rank()).isEqualTo(8);
        assertThat(adapter.config().alpha()).isEqualTo(16);
        assertThat(adapter.config().targets()).isEqualTo(TargetModules.names("q_proj", "v_proj"));
        assertThat(adapter.config().useRslora()).isFalse();
        try (LanguageModel model = LanguageModel.load(base, AdapterFixtures.CPU)) {
            adapter.validate(model.shape(), 8);
        }
        Map<String, List<Long>> shapes = new TreeMap<>();
        try (SafetensorsFile file = SafetensorsFile.open(output.resolve(LoraAdapter.WEIGHTS_FILE))) {
            for (TensorInfo tensor : file.tensors()) {
                shapes.put(tensor.name(), java.util.Arrays.stream(tensor.shape()).boxed().toList());
            }
        }
        assertThat(shapes).hasSize(8)
                .containsEntry("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", List.of(8L, 64L))
                .containsEntry("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight", List.of(64L, 8L))
                .containsEntry("base_model.model.model.layers.1.self_attn.v_proj.lora_A.weight", List.of(8L, 64L))
                .containsEntry("base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight", List.of(32L, 8L));
        assertThat(output.resolve(AdapterTrainer.TRAINING_FILE)).content().contains("\"initialisation\" : \"standard\"");
    }

    @Test
    void theAdapterReadBackAndMaterialisedGivesTheLogitsOfTheInTrainingForward() {
        int[] ids = {256, 'c', 'a', 'p', 'i', 't', 'a', 'l', ' ', 'o', 'f', ' ', 'P', 'e', 'r', 'u', '?', ' ', 'L'};
        try (LanguageModel model = LanguageModel.load(base, AdapterFixtures.CPU);
             ResidentAdapter resident = model.materialise(LoraAdapter.read("capitals", output), 8)) {
            float[] served = model.logits(ids, AdapterMix.of(resident));
            float[] trained = trainer.logits(ids);
            assertThat(maxDifference(served, trained)).isLessThan(1e-4);
            // and the adapter does change them
            assertThat(maxDifference(model.logits(ids), trained)).isGreaterThan(0.1);
        }
    }

    @Test
    void withTheAdapterTheModelAnswersAsTrainedWhileRowsWithoutItGetTheBaseAnswersInTheSameBatch() {
        List<String> prompts = AdapterFixtures.CAPITALS.stream().map(TrainingExample::prompt).toList();
        GenerationOptions greedy = GenerationOptions.greedy(16);
        try (LanguageModel model = LanguageModel.load(base, AdapterFixtures.CPU);
             ResidentAdapter resident = model.materialise(LoraAdapter.read("capitals", output), 8)) {
            List<String> baseAnswers = model.generate(prompts, greedy).stream().map(GenerationResult::text).toList();
            List<String> mixedPrompts = new ArrayList<>(prompts);
            mixedPrompts.addAll(prompts);
            List<AdapterMix> mixes = new ArrayList<>(Collections.nCopies(prompts.size(), AdapterMix.of(resident)));
            mixes.addAll(Collections.nCopies(prompts.size(), AdapterMix.none()));
            List<GenerationResult> mixed = model.generate(mixedPrompts, mixes, greedy, TokenListener.NONE);

            for (int i = 0; i < prompts.size(); i++) {
                String expected = AdapterFixtures.CAPITALS.get(i).completion();
                assertThat(baseAnswers.get(i)).as("base, %s", prompts.get(i)).isNotEqualTo(expected);
                assertThat(mixed.get(i).text()).as("adapter, %s", prompts.get(i)).isEqualTo(expected);
                assertThat(mixed.get(i).finishReason()).isEqualTo(GenerationResult.FinishReason.END_OF_SEQUENCE);
                assertThat(mixed.get(prompts.size() + i).text()).as("no adapter, %s", prompts.get(i))
                        .isEqualTo(baseAnswers.get(i));
            }
        }
    }

    @Test
    void progressReportsStepLossSpeedAndTimeLeft() {
        assertThat(reports).extracting(TrainingProgress.Report::step).containsExactly(30, 60, 90, 120, 150);
        assertThat(reports.get(0).loss()).isGreaterThan(reports.get(4).loss());
        assertThat(reports).allSatisfy(report -> assertThat(report.tokensPerSecond()).isPositive());
        assertThat(reports.get(0).remaining()).isPositive();
        assertThat(reports.get(4).remaining()).isZero();
        assertThat(summary.steps()).isEqualTo(150);
        assertThat(summary.finalLoss()).isLessThan(0.1);
    }
}
