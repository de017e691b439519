// Learned merges make a tokenizer.json that HuggingFace's tokenizer applies as learned, losslessly.
package io.synod.solvers.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synod.solvers.model.ByteLevelTokenizer;
import io.synod.solvers.model.GenerationOptions;
import io.synod.solvers.model.LanguageModel;
import io.synod.solvers.model.ModelConfig;
import io.synod.solvers.model.RuntimeOptions;
import io.synod.solvers.model.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BytePairMergesTest {
    @TempDir Path directory;

    static final List<String> TEXT = List.of(
            "Options: area | borders | capital | language | landlocked | answer",
            "Question: What are the official languages of Togo?",
            "Question: Which currency does Ghana use?",
            "Options: area | borders | capital | currency | language | landlocked | answer",
            "Next: language",
            "Next: landlocked",
            "Lomé is the capital of Togo; Zürich isn't a capital.");

    @Test
    void theMostFrequentPairMergesFirstAndLearningIsDeterministic() {
        List<String[]> merges = BytePairMerges.learn(List.of("aaab aaab aaab", "ab"), 3);
        // pieces: "aaab" once, " aaab" twice (with the space before), "ab" once; "aa" occurs 2x3 + ... times
        assertThat(merges.get(0)).containsExactly("a", "a");
        assertThat(BytePairMerges.learn(TEXT, 50)).usingRecursiveComparison().isEqualTo(BytePairMerges.learn(TEXT, 50));
    }

    @Test
    void stopsWhenNoPairOccursTwice() {
        assertThat(BytePairMerges.learn(List.of("xyz"), 10)).isEmpty();
        assertThatThrownBy(() -> BytePairMerges.learn(TEXT, -1)).hasMessageContaining("at least 0");
    }

    @Test
    void theTokenizerAppliesTheMergesAndRoundTripsAnyText() throws Exception {
        List<String[]> merges = BytePairMerges.learn(TEXT, 200);
        Path file = directory.resolve("tokenizer.json");
        ByteLevelTokenizer.write(file, merges);
        try (TextTokenizer tokenizer = TextTokenizer.load(file, ByteLevelTokenizer.SIZE + merges.size())) {
            // frequent words with their space are one token each, so the decision between them is one token
            assertThat(tokenizer.encodeContinuation(" language")).hasSize(1);
            assertThat(tokenizer.encodeContinuation(" landlocked")).hasSize(1);
            assertThat(tokenizer.encodeContinuation(" language")).isNotEqualTo(tokenizer.encodeContinuation(" landlocked"));
            int[] ids = tokenizer.encode("Options: area | borders | capital");
            assertThat(ids[0]).isEqualTo(ByteLevelTokenizer.BEGIN_OF_SEQUENCE);
            assertThat(ids.length).isLessThan("Options: area | borders | capital".length() / 2);
            for (String text : List.of("Lomé, Zürich and 東京 — unseen text falls back to bytes\n", TEXT.get(6), "")) {
                assertThat(tokenizer.decode(tokenizer.encodeContinuation(text))).isEqualTo(text);
            }
            assertThat(tokenizer.highestId()).isLessThan(ByteLevelTokenizer.SIZE + merges.size());
        }
    }

    @Test
    void aMergeOfUnknownSymbolsIsRefused() {
        assertThatThrownBy(() -> ByteLevelTokenizer.write(directory.resolve("t.json"), List.<String[]>of(new String[] {"ab", "c"})))
                .hasMessageContaining("ab c");
    }

    @Test
    void aModelTrainedWithMergesLearnsAndGeneratesThroughThem() {
        List<String> texts = new ArrayList<>();
        for (TrainingExample example : TrainerTest.CAPITALS) {
            texts.add(example.prompt());
            texts.add(example.completion());
        }
        List<String[]> merges = BytePairMerges.learn(texts, 40);
        ModelConfig base = TrainerTest.tinyConfig();
        ModelConfig config = new ModelConfig(base.architecture(), ByteLevelTokenizer.SIZE + merges.size(),
                base.hiddenSize(), base.intermediateSize(), base.layers(), base.attentionHeads(), base.keyValueHeads(),
                base.headDimension(), base.rmsNormEpsilon(), base.ropeTheta(), null, base.maxPositionEmbeddings(),
                false, false, "float32", -1, -1);
        TrainingOptions options = TrainingOptions.defaults().withSteps(60).withBatchSize(8).withSequenceLength(32)
                .withLearningRate(1e-2, 1e-3).withWarmupSteps(10).withWeightDecay(0).withSeed(1).withThreads(1);
        TrainingSummary summary = Trainer.trainBase(config, TrainingData.of(TrainerTest.CAPITALS), directory, options,
                null, merges, report -> { });
        assertThat(summary.finalLoss()).isLessThan(0.05);
        try (LanguageModel model = LanguageModel.load(directory,
                RuntimeOptions.defaults().withDevice(RuntimeOptions.DevicePreference.CPU))) {
            String answer = model.generate(List.of("capital of Togo?"), GenerationOptions.greedy(8).withStopAtEos(true))
                    .get(0).text();
            assertThat(answer).isEqualTo(" Lomé");
        }
        assertThatThrownBy(() -> Trainer.trainBase(config, TrainingData.of(TrainerTest.CAPITALS),
                directory.resolve("second"), options, directory, merges, report -> { }))
                .hasMessageContaining("keeps its tokenizer");
    }
}
