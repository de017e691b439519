// A small random base model on disk and a small task it does not know, for the adapter training tests.
package io.synod.solvers.training.lora;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.synod.adapters.safetensors.DType;
import io.synod.solvers.model.ByteLevelTokenizer;
import io.synod.solvers.model.ModelConfig;
import io.synod.solvers.model.RuntimeOptions;
import io.synod.solvers.model.TransformerWeights;
import io.synod.solvers.model.RuntimeOptions.DevicePreference;
import io.synod.solvers.training.TrainingExample;
import io.synod.solvers.training.TrainingOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

final class AdapterFixtures {
    private AdapterFixtures() {}

    /** Eight questions whose answers a random base cannot know. */
    static final List<TrainingExample> CAPITALS = List.of(
            TrainingExample.of("capital of Togo?", " Lomé"),
            TrainingExample.of("capital of Benin?", " Porto-Novo"),
            TrainingExample.of("capital of Ghana?", " Accra"),
            TrainingExample.of("capital of France?", " Paris"),
            TrainingExample.of("capital of Peru?", " Lima"),
            TrainingExample.of("capital of Japan?", " Tokyo"),
            TrainingExample.of("capital of Kenya?", " Nairobi"),
            TrainingExample.of("capital of Chile?", " Santiago"));

    /** Where the tests run models: the CPU, one PyTorch thread (fastest for models this small on a busy machine). */
    static final RuntimeOptions CPU = RuntimeOptions.defaults().withDevice(DevicePreference.CPU).withThreads(1);

    /** Llama with grouped-query attention: hidden 64, 2 layers, 4 query heads over 2 key/value heads, ffn 128. */
    static ModelConfig config() {
        return new ModelConfig(ModelConfig.Architecture.LLAMA, 264, 64, 128, 2, 4, 2, 16, 1e-5, 10000, null, 64,
                false, false, "float32", ByteLevelTokenizer.BEGIN_OF_SEQUENCE, ByteLevelTokenizer.END_OF_SEQUENCE);
    }

    /** A random base model in the HuggingFace layout. */
    static Path writeBase(Path directory, long seed, float deviation) throws IOException {
        Files.createDirectories(directory);
        ModelConfig config = config();
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            TransformerWeights.random(config, manager, seed, deviation).write(directory.resolve("model.safetensors"), DType.F32);
        }
        config.write(directory.resolve("config.json"));
        ByteLevelTokenizer.write(directory.resolve("tokenizer.json"));
        return directory;
    }

    /** Short runs on the CPU with one thread, no weight decay. */
    static TrainingOptions options(int steps, double learningRate) {
        return TrainingOptions.defaults()
                .withSteps(steps)
                .withBatchSize(8)
                .withSequenceLength(48)
                .withLearningRate(learningRate, learningRate / 10)
                .withWarmupSteps(5)
                .withWeightDecay(0)
                .withLogEvery(10)
                .withSeed(1)
                .withDevice(DevicePreference.CPU)
                .withThreads(1);
    }
}
