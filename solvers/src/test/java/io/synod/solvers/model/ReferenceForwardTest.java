// The DJL forward pass against the plain-Java reference, on small random checkpoints of each supported kind.
package io.synod.solvers.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.synod.adapters.safetensors.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each test writes a real model directory (config.json, safetensors, tokenizer.json) with random weights,
 * loads it with {@link LanguageModel#load}, and compares {@link LanguageModel#logits} at every position
 * with {@link ReferenceLlama} over the whole vocabulary.
 */
class ReferenceForwardTest {
    private static final Logger log = LoggerFactory.getLogger(ReferenceForwardTest.class);
    /** Largest difference allowed between the runtime's float32 logits and the reference's. */
    private static final double TOLERANCE = 1e-4;
    /** Long enough that rotary positions matter, including the scaled low frequencies of llama3. */
    private static final int SEQUENCE_LENGTH = 40;

    @TempDir Path directory;

    @Test
    void llamaWithGroupedQueryAttentionMatchesTheReference() throws IOException {
        TinyModels.writeRandom(directory, TinyModels.llama(), 11, DType.F32, false);
        assertMatchesReference("llama, grouped-query attention");
    }

    @Test
    void qwen2WithQueryKeyValueBiasesMatchesTheReference() throws IOException {
        TinyModels.writeRandom(directory, TinyModels.qwen2(), 12, DType.F32, false);
        assertThat(Files.readString(directory.resolve("config.json")))
                .as("Qwen2's biases come from its model_type, not from a key").doesNotContain("attention_bias");
        assertMatchesReference("qwen2, q/k/v biases");
    }

    @Test
    void tiedEmbeddingsMatchTheReference() throws IOException {
        TinyModels.writeRandom(directory, TinyModels.tiedLlama(), 13, DType.F32, false);
        assertMatchesReference("llama, tied embeddings");
    }

    @Test
    void bf16WeightsMatchTheReferenceReadingTheSameValues() throws IOException {
        TinyModels.writeRandom(directory, TinyModels.qwen2(), 14, DType.BF16, false);
        assertMatchesReference("qwen2, bf16 on disk");
    }

    @Test
    void mistralWithOneKeyValueHeadMatchesTheReference() throws IOException {
        TinyModels.writeRandom(directory, TinyModels.mistral(), 15, DType.F32, false);
        assertMatchesReference("mistral, one kv head");
    }

    @Test
    void llama3RopeScalingMatchesTheReferenceAndChangesTheLogits() throws IOException {
        TinyModels.writeRandom(directory, TinyModels.llama3Scaled(), 16, DType.F32, false);
        assertMatchesReference("llama, llama3 rope scaling");

        // the same weights without scaling must give other logits, or the comparison above proves nothing
        Path unscaled = Files.createDirectory(directory.resolve("unscaled"));
        TinyModels.writeRandom(unscaled, TinyModels.llama(), 16, DType.F32, false);
        int[] ids = randomIds(TinyModels.llama().vocabularySize());
        assertThat(maxAbsDifference(ReferenceLlama.load(directory).logits(ids), ReferenceLlama.load(unscaled).logits(ids)))
                .as("scaling changes the logits").isGreaterThan(1e-2);
    }

    @Test
    void twoShardCheckpointWithAnIndexMatchesTheReference() throws IOException {
        TinyModels.writeRandom(directory, TinyModels.qwen2(), 17, DType.F32, true);
        assertThat(directory.resolve("model.safetensors")).doesNotExist();
        assertThat(directory.resolve("model.safetensors.index.json")).exists();
        assertThat(directory.resolve("model-00002-of-00002.safetensors")).exists();
        assertMatchesReference("qwen2, two shards");
    }

    private void assertMatchesReference(String what) throws IOException {
        ReferenceLlama reference = ReferenceLlama.load(directory);
        int[] ids = randomIds(reference.vocabularySize());
        float[] expected = reference.logits(ids);
        float[] actual;
        try (LanguageModel model = LanguageModel.load(directory, TinyModels.CPU)) {
            actual = model.logits(ids);
        }
        assertThat(actual).hasSameSizeAs(expected);
        double difference = maxAbsDifference(expected, actual);
        log.info("{}: max |logit - reference| = {}", what, difference);
        assertThat(difference).as("%s: max abs difference of the logits", what).isLessThan(TOLERANCE);
    }

    /** Token ids over the whole vocabulary, beyond the tokenizer's bytes too. */
    static int[] randomIds(int vocabularySize) {
        Random random = new Random(2024);
        int[] ids = new int[SEQUENCE_LENGTH];
        for (int t = 0; t < ids.length; t++) {
            ids[t] = random.nextInt(vocabularySize);
        }
        return ids;
    }

    static double maxAbsDifference(float[] expected, float[] actual) {
        double largest = 0;
        for (int i = 0; i < expected.length; i++) {
            largest = Math.max(largest, Math.abs((double) expected[i] - actual[i]));
        }
        return largest;
    }
}
