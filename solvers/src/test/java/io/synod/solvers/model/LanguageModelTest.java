// Generation and scoring on a small random model: cache against recomputation, batches against single rows.
package io.synod.solvers.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.synod.adapters.safetensors.DType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LanguageModelTest {
    @TempDir static Path directory;
    static LanguageModel model;

    @BeforeAll
    static void load() throws Exception {
        TinyModels.write(directory, TinyModels.llama(), 7, DType.F32);
        model = LanguageModel.load(directory, RuntimeOptions.defaults());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void greedyDecodingWithTheCacheEqualsRecomputingEveryPrefix() {
        int[] prompt = model.tokenizer().encode("The capital of Togo is");
        GenerationResult result = model.generateTokens(List.of(prompt), GenerationOptions.greedy(12).withStopAtEos(false),
                TokenListener.NONE).get(0);
        int vocabulary = model.config().vocabularySize();
        int[] sequence = prompt.clone();
        for (int step = 0; step < 12; step++) {
            float[] logits = model.logits(sequence);
            int next = Sampler.argMax(logits, (sequence.length - 1) * vocabulary, vocabulary);
            assertThat(result.tokens()[step]).as("token %d", step).isEqualTo(next);
            sequence = java.util.Arrays.copyOf(sequence, sequence.length + 1);
            sequence[sequence.length - 1] = next;
        }
    }

    @Test
    void aBatchOfPromptsOfDifferentLengthsEqualsEachPromptAlone() {
        List<String> prompts = List.of("Lomé", "Which currency does Togo use?", "a b");
        GenerationOptions options = GenerationOptions.greedy(10).withStopAtEos(false);
        List<GenerationResult> batch = model.generate(prompts, options);
        for (int i = 0; i < prompts.size(); i++) {
            GenerationResult alone = model.generate(List.of(prompts.get(i)), options).get(0);
            assertThat(batch.get(i).tokens()).as(prompts.get(i)).containsExactly(alone.tokens());
        }
    }

    @Test
    void scoresAreTheSumOfNextTokenLogProbabilities() {
        String prompt = "Togo uses the";
        List<LanguageModel.ContinuationScore> scores = model.score(prompt, List.of(" franc", " euro and more"));
        int[] ids = model.tokenizer().encode(prompt + " franc");
        int promptLength = model.tokenizer().encode(prompt).length;
        float[] logits = model.logits(ids);
        int vocabulary = model.config().vocabularySize();
        double expected = 0;
        for (int t = promptLength - 1; t < ids.length - 1; t++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < vocabulary; v++) {
                max = Math.max(max, logits[t * vocabulary + v]);
            }
            double sum = 0;
            for (int v = 0; v < vocabulary; v++) {
                sum += Math.exp(logits[t * vocabulary + v] - max);
            }
            expected += logits[t * vocabulary + ids[t + 1]] - max - Math.log(sum);
        }
        assertThat(scores.get(0).logLikelihood()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(scores.get(0).tokens()).isEqualTo(6);
        assertThat(scores.get(1).tokens()).isEqualTo(14);
    }

    @Test
    void samplingWithTheSameSeedRepeatsAndStopStringsCutTheText() {
        GenerationOptions sampled = GenerationOptions.greedy(20).withStopAtEos(false).withSampling(1.0, 0.9, 42);
        String first = model.generate(List.of("abc"), sampled).get(0).text();
        String second = model.generate(List.of("abc"), sampled).get(0).text();
        assertThat(first).isEqualTo(second);

        String greedy = model.generate(List.of("abc"), GenerationOptions.greedy(20).withStopAtEos(false)).get(0).text();
        assertThat(greedy).hasSizeGreaterThan(3);
        String stop = greedy.substring(2, 3);
        GenerationResult stopped = model.generate(List.of("abc"),
                GenerationOptions.greedy(20).withStopAtEos(false).withStopStrings(List.of(stop))).get(0);
        assertThat(stopped.finishReason()).isEqualTo(GenerationResult.FinishReason.STOP_STRING);
        assertThat(stopped.text()).isEqualTo(greedy.substring(0, greedy.indexOf(stop)));
    }
}
