// Decoding with the KV cache against recomputing every prefix, and batched scoring against one row at a time,
// on a Qwen2 model with grouped-query attention and non-zero q/k/v biases.
package io.synod.solvers.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.synod.adapters.safetensors.DType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class CachedDecodingTest {
    private static final Logger log = LoggerFactory.getLogger(CachedDecodingTest.class);
    private static final int STEPS = 20;
    private static final double TOLERANCE = 1e-4;

    @TempDir static Path directory;
    static LanguageModel model;
    static ReferenceLlama reference;

    @BeforeAll
    static void load() throws Exception {
        TinyModels.writeRandom(directory, TinyModels.qwen2(), 21, DType.F32, false);
        model = LanguageModel.load(directory, TinyModels.CPU);
        reference = ReferenceLlama.load(directory);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void everyDecodeStepsLogitsWithTheCacheEqualRecomputationAndTheReference() {
        ModelConfig config = model.config();
        int vocabulary = config.vocabularySize();
        int[] sequence = model.tokenizer().encode("Lomé is the capital of");
        NDManager base = model.weights().embedding().getManager();
        try (NDManager call = base.newSubManager()) {
            Transformer transformer = Transformer.create(model.weights(), model.contextLength(), call);
            KvCache cache = new KvCache(config, 1, sequence.length + STEPS, call, DataType.FLOAT32);
            // prefill: the whole prompt under a causal mask; logits of its last position
            float[] cached = forwardOneRow(call, transformer, cache, sequence, 0, causalMask(sequence.length));
            double largestToRecomputed = 0;
            double largestToReference = 0;
            for (int step = 0; step < STEPS; step++) {
                float[] recomputed = lastRow(model.logits(sequence), vocabulary);
                float[] expected = lastRow(reference.logits(sequence), vocabulary);
                double toRecomputed = ReferenceForwardTest.maxAbsDifference(recomputed, cached);
                double toReference = ReferenceForwardTest.maxAbsDifference(expected, cached);
                assertThat(toRecomputed).as("step %d: cached against recomputed logits", step).isLessThan(TOLERANCE);
                assertThat(toReference).as("step %d: cached against reference logits", step).isLessThan(TOLERANCE);
                largestToRecomputed = Math.max(largestToRecomputed, toRecomputed);
                largestToReference = Math.max(largestToReference, toReference);
                int next = Sampler.argMax(recomputed, 0, vocabulary);
                sequence = Arrays.copyOf(sequence, sequence.length + 1);
                sequence[sequence.length - 1] = next;
                // decode: one token at the next position, attending to everything cached
                cached = forwardOneRow(call, transformer, cache, new int[] {next}, sequence.length - 1,
                        new float[sequence.length]);
            }
            assertThat(cache.length()).isEqualTo(sequence.length);
            log.info("{} cached decode steps: max |logit difference| {} to recomputation, {} to the reference",
                    STEPS, largestToRecomputed, largestToReference);
        }
    }

    @Test
    void greedyGenerationOfABatchWithTheCacheEqualsRecomputingEveryPrefix() {
        List<String> prompts = List.of("Togo", "Which currency does Togo use?", "a b c");
        GenerationOptions options = GenerationOptions.greedy(STEPS).withStopAtEos(false);
        List<GenerationResult> results = model.generate(prompts, options);
        int vocabulary = model.config().vocabularySize();
        for (int row = 0; row < prompts.size(); row++) {
            int[] sequence = model.tokenizer().encode(prompts.get(row));
            assertThat(results.get(row).tokens()).as(prompts.get(row)).hasSize(STEPS);
            for (int step = 0; step < STEPS; step++) {
                int next = Sampler.argMax(lastRow(model.logits(sequence), vocabulary), 0, vocabulary);
                assertThat(results.get(row).tokens()[step]).as("%s, token %d", prompts.get(row), step).isEqualTo(next);
                sequence = Arrays.copyOf(sequence, sequence.length + 1);
                sequence[sequence.length - 1] = next;
            }
        }
    }

    @Test
    void scoringSeveralContinuationsInOneCallEqualsScoringEachAlone() {
        String prompt = "Lomé is the capital of";
        List<String> continuations = List.of(" Togo", " Benin and of Ghana", "!", " the Togolese Republic");
        List<LanguageModel.ContinuationScore> together = model.score(prompt, continuations);
        assertThat(together).hasSize(continuations.size());
        for (int i = 0; i < continuations.size(); i++) {
            LanguageModel.ContinuationScore alone = model.score(prompt, List.of(continuations.get(i))).get(0);
            assertThat(together.get(i).tokens()).as(continuations.get(i)).isEqualTo(alone.tokens());
            assertThat(together.get(i).logLikelihood()).as(continuations.get(i))
                    .isCloseTo(alone.logLikelihood(), within(TOLERANCE));
        }
    }

    @Test
    void scoresEqualTheReferenceLogLikelihoods() {
        String prompt = "Lomé is the capital of";
        List<String> continuations = List.of(" Togo", " Benin and of Ghana");
        List<LanguageModel.ContinuationScore> scores = model.score(prompt, continuations);
        int promptLength = model.tokenizer().encode(prompt).length;
        int vocabulary = reference.vocabularySize();
        for (int i = 0; i < continuations.size(); i++) {
            int[] ids = model.tokenizer().encode(prompt + continuations.get(i));
            float[] logits = reference.logits(ids);
            double expected = 0;
            for (int t = promptLength - 1; t < ids.length - 1; t++) {
                expected += logSoftmax(logits, t * vocabulary, vocabulary, ids[t + 1]);
            }
            assertThat(scores.get(i).tokens()).isEqualTo(ids.length - promptLength);
            assertThat(scores.get(i).logLikelihood()).as(continuations.get(i)).isCloseTo(expected, within(TOLERANCE));
        }
    }

    /** Runs one row through the transformer with the cache and returns the logits of its last position. */
    private static float[] forwardOneRow(NDManager call, Transformer transformer, KvCache cache, int[] ids,
                                         int firstPosition, float[] mask) {
        try (NDManager step = call.newSubManager()) {
            long[] tokens = new long[ids.length];
            long[] positions = new long[ids.length];
            for (int t = 0; t < ids.length; t++) {
                tokens[t] = ids[t];
                positions[t] = firstPosition + t;
            }
            int keys = cache.length() + ids.length;
            NDArray logits = transformer.forward(step.create(tokens, new Shape(1, ids.length)),
                    step.create(positions, new Shape(1, ids.length)),
                    step.create(mask, new Shape(1, 1, 1, ids.length, keys)), cache, ids.length - 1);
            return logits.toFloatArray();
        }
    }

    private static float[] causalMask(int length) {
        float[] mask = new float[length * length];
        for (int query = 0; query < length; query++) {
            Arrays.fill(mask, query * length + query + 1, (query + 1) * length, Float.NEGATIVE_INFINITY);
        }
        return mask;
    }

    private static float[] lastRow(float[] logits, int vocabulary) {
        return Arrays.copyOfRange(logits, logits.length - vocabulary, logits.length);
    }

    private static double logSoftmax(float[] logits, int offset, int vocabulary, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocabulary; v++) {
            max = Math.max(max, logits[offset + v]);
        }
        double sum = 0;
        for (int v = 0; v < vocabulary; v++) {
            sum += Math.exp(logits[offset + v] - max);
        }
        return logits[offset + target] - max - Math.log(sum);
    }
}
