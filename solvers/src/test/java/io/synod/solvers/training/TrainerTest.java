// Training a tiny model end to end: it memorises eight question/answer pairs, and the written directory loads.
package io.synod.solvers.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synod.adapters.safetensors.SafetensorsFile;
import io.synod.adapters.safetensors.TensorInfo;
import io.synod.solvers.model.ByteLevelTokenizer;
import io.synod.solvers.model.GenerationOptions;
import io.synod.solvers.model.GenerationResult;
import io.synod.solvers.model.LanguageModel;
import io.synod.solvers.model.ModelConfig;
import io.synod.solvers.model.RuntimeOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir Path directory;

    static final List<TrainingExample> CAPITALS = List.of(
            TrainingExample.of("capital of Togo?", " Lomé"),
            TrainingExample.of("capital of Benin?", " Porto-Novo"),
            TrainingExample.of("capital of Ghana?", " Accra"),
            TrainingExample.of("capital of France?", " Paris"),
            TrainingExample.of("capital of Peru?", " Lima"),
            TrainingExample.of("capital of Japan?", " Tokyo"),
            TrainingExample.of("capital of Kenya?", " Nairobi"),
            TrainingExample.of("capital of Chile?", " Santiago"));

    /** Hidden 64, 2 layers, 4 query heads over 2 key/value heads, byte-level vocabulary of 264. */
    static ModelConfig tinyConfig() {
        return new ModelConfig(ModelConfig.Architecture.LLAMA, 264, 64, 128, 2, 4, 2, 16, 1e-5, 10000, null, 64,
                false, false, "float32", -1, -1);
    }

    @Test
    void aTinyModelMemorisesEightAnswersAndItsCheckpointGeneratesThem() {
        TrainingOptions options = TrainingOptions.defaults()
                .withSteps(80)
                .withBatchSize(8)
                .withSequenceLength(64)
                .withLearningRate(1e-2, 1e-3)
                .withWarmupSteps(10)
                .withWeightDecay(0)
                .withLogEvery(10)
                .withSeed(1)
                // one thread: on a busy two-core machine, two spinning OpenMP threads slow these tiny steps 10-30 times
                .withThreads(1);
        List<TrainingProgress.Report> reports = new ArrayList<>();
        TrainingSummary summary = Trainer.trainBase(tinyConfig(), TrainingData.of(CAPITALS), directory, options, reports::add);

        assertThat(reports).hasSize(8);
        assertThat(reports.get(0).loss()).isGreaterThan(3);   // about ln(264) = 5.6 at the start
        assertThat(summary.finalLoss()).isLessThan(0.05);
        try (LanguageModel model = LanguageModel.load(directory, RuntimeOptions.defaults().withDevice(RuntimeOptions.DevicePreference.CPU))) {
            for (TrainingExample example : CAPITALS) {
                GenerationResult result = model.generate(List.of(example.prompt()), GenerationOptions.greedy(16)).get(0);
                assertThat(result.text()).as(example.prompt()).isEqualTo(example.completion());
                assertThat(result.finishReason()).isEqualTo(GenerationResult.FinishReason.END_OF_SEQUENCE);
            }
        }
    }

    @Test
    void aVocabularyTooSmallForTheByteLevelTokenizerIsRefused() {
        ModelConfig small = new ModelConfig(ModelConfig.Architecture.LLAMA, 200, 64, 128, 2, 4, 2, 16, 1e-5, 10000, null,
                64, false, false, "float32", -1, -1);
        assertThatThrownBy(() -> Trainer.trainBase(small, TrainingData.of(CAPITALS), directory,
                TrainingOptions.defaults(), TrainingProgress.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vocab_size is 200")
                .hasMessageContaining("at least " + ByteLevelTokenizer.SIZE);
    }

    @Test
    void resumingFromACheckpointEndsWhereAnUninterruptedRunEnds() throws Exception {
        TrainingOptions options = TrainingOptions.defaults().withSteps(6).withBatchSize(4).withSequenceLength(32)
                .withWarmupSteps(2).withCheckpointEvery(3).withSeed(5).withThreads(1);
        Path straight = directory.resolve("straight");
        Trainer.trainBase(tinyConfig(), TrainingData.of(CAPITALS), straight, options, TrainingProgress.NONE);
        Path checkpoint = straight.resolve("checkpoint-3");
        assertThat(checkpoint.resolve(Trainer.OPTIMIZER_STATE)).exists();
        assertThat(checkpoint.resolve(Trainer.TRAINER_STATE)).exists();

        Path resumed = directory.resolve("resumed");
        List<TrainingProgress.Report> reports = new ArrayList<>();
        TrainingSummary summary = Trainer.trainBase(tinyConfig(), TrainingData.of(CAPITALS), resumed,
                options.withResumeFrom(checkpoint).withLogEvery(1), reports::add);
        assertThat(summary.steps()).isEqualTo(3);
        assertThat(reports.get(0).step()).isEqualTo(4);
        try (SafetensorsFile a = SafetensorsFile.open(straight.resolve("model.safetensors"));
             SafetensorsFile b = SafetensorsFile.open(resumed.resolve("model.safetensors"))) {
            for (TensorInfo tensor : a.tensors()) {
                assertThat(b.floats(tensor.name())).as(tensor.name())
                        .containsExactly(a.floats(tensor.name()), org.assertj.core.data.Offset.offset(1e-6f));
            }
        }
    }

    @Test
    void aDirectoryThatHoldsAModelIsNotOverwritten() throws Exception {
        java.nio.file.Files.writeString(directory.resolve("model.safetensors"), "");
        assertThatThrownBy(() -> Trainer.trainBase(tinyConfig(), TrainingData.of(CAPITALS), directory,
                TrainingOptions.defaults().withSequenceLength(32), TrainingProgress.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already holds a model");
    }
}
