// Unmerged LoRA in the runtime: against merged weights computed in plain Java, swaps, merge/unmerge, mixed batches.
package io.synod.solvers.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synod.adapters.lora.AdapterException;
import io.synod.adapters.lora.LoraAdapter;
import io.synod.adapters.lora.LoraModule;
import io.synod.adapters.safetensors.Checkpoint;
import io.synod.adapters.safetensors.DType;
import io.synod.adapters.safetensors.SafetensorsWriter;
import io.synod.solvers.model.ByteLevelTokenizer;
import io.synod.solvers.model.GenerationOptions;
import io.synod.solvers.model.GenerationResult;
import io.synod.solvers.model.LanguageModel;
import io.synod.solvers.model.ModelConfig;
import io.synod.solvers.model.RuntimeOptions;
import io.synod.solvers.model.TokenListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraRuntimeTest {
    @TempDir static Path directory;
    static ModelConfig config;
    static LanguageModel model;
    static LoraAdapter attention;   // rank 4 on q, v
    static LoraAdapter everything;  // rank 8 on all seven projections, rsLoRA-free alpha 16
    static ResidentAdapter attentionResident;
    static ResidentAdapter everythingResident;
    static final int[] PROMPT = {256, 84, 111, 103, 111, 32, 117, 115, 101, 115};

    @BeforeAll
    static void load() throws Exception {
        config = LoraFixtures.config();
        Path base = Files.createDirectories(directory.resolve("base"));
        LoraFixtures.writeBase(base, config);
        model = LanguageModel.load(base, RuntimeOptions.defaults());
        attention = LoraFixtures.adapter("attention", config, 4, 8, 1, "q_proj", "v_proj");
        everything = LoraFixtures.adapter("everything", config, 8, 16, 2,
                "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");
        attentionResident = model.materialise(attention, 64);
        everythingResident = model.materialise(everything, 64);
    }

    @AfterAll
    static void close() {
        attentionResident.close();
        everythingResident.close();
        model.close();
    }

    private static double maxDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** Writes the base with W + s B A for every module of the adapter, computed in plain Java from the files. */
    private static Path mergedInPlainJava(LoraAdapter adapter) throws Exception {
        Path merged = Files.createDirectories(directory.resolve("merged-" + adapter.name()));
        SafetensorsWriter writer = SafetensorsWriter.create();
        try (Checkpoint base = Checkpoint.open(directory.resolve("base"))) {
            for (String name : base.names()) {
                float[] weight = base.floats(name);
                for (LoraModule module : adapter.modules()) {
                    if (name.equals(module.module() + ".weight")) {
                        for (int row = 0; row < module.out(); row++) {
                            for (int column = 0; column < module.in(); column++) {
                                double sum = 0;
                                for (int r = 0; r < module.rank(); r++) {
                                    sum += module.b()[row * module.rank() + r] * module.a()[r * module.in() + column];
                                }
                                weight[row * module.in() + column] += (float) (module.scale() * sum);
                            }
                        }
                    }
                }
                writer.putFloats(name, base.info(name).shape(), weight, DType.F32);
            }
        }
        writer.write(merged.resolve("model.safetensors"));
        config.write(merged.resolve("config.json"));
        ByteLevelTokenizer.write(merged.resolve("tokenizer.json"));
        return merged;
    }

    @Test
    void anUnmergedAdapterEqualsItsUpdateAddedToTheWeightsInPlainJava() throws Exception {
        for (LoraAdapter adapter : List.of(attention, everything)) {
            ResidentAdapter resident = adapter == attention ? attentionResident : everythingResident;
            try (LanguageModel merged = LanguageModel.load(mergedInPlainJava(adapter), RuntimeOptions.defaults())) {
                double difference = maxDifference(model.logits(PROMPT, AdapterMix.of(resident)), merged.logits(PROMPT));
                assertThat(difference).as(adapter.name()).isLessThan(1e-4);
            }
        }
    }

    @Test
    void swappingAdaptersGivesEachAdapterItsOwnOutputAndNoneGivesTheBase() {
        float[] base = model.logits(PROMPT);
        float[] first = model.logits(PROMPT, AdapterMix.of(attentionResident));
        float[] second = model.logits(PROMPT, AdapterMix.of(everythingResident));
        assertThat(maxDifference(base, first)).isGreaterThan(1e-2);
        assertThat(maxDifference(first, second)).isGreaterThan(1e-2);
        assertThat(maxDifference(model.logits(PROMPT, AdapterMix.of(attentionResident)), first)).isZero();
        assertThat(maxDifference(model.logits(PROMPT), base)).isZero();
    }

    @Test
    void mergingEqualsUnmergedAndUnmergingRestoresTheBase() {
        float[] base = model.logits(PROMPT);
        float[] unmerged = model.logits(PROMPT, AdapterMix.of(everythingResident));
        model.merge(everythingResident);
        try {
            assertThat(maxDifference(model.logits(PROMPT, AdapterMix.of(everythingResident)), unmerged)).isLessThan(1e-4);
            assertThatThrownBy(() -> model.logits(PROMPT, AdapterMix.of(attentionResident)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("everything");
        } finally {
            model.unmerge();
        }
        assertThat(maxDifference(model.logits(PROMPT), base)).isLessThan(1e-5);
    }

    @Test
    void aMixedBatchEqualsEachRowRunAloneForPrefillAndCachedDecoding() {
        List<int[]> prompts = List.of(PROMPT, new int[] {256, 76, 111, 109, 233}, new int[] {256, 97}, PROMPT);
        AdapterMix mixture = new AdapterMix(List.of(new AdapterMix.Part(attentionResident, 0.7f),
                new AdapterMix.Part(everythingResident, 0.3f)));
        List<AdapterMix> adapters = List.of(AdapterMix.of(attentionResident), AdapterMix.none(),
                AdapterMix.of(everythingResident), mixture);
        GenerationOptions options = GenerationOptions.greedy(12).withStopAtEos(false);
        List<GenerationResult> batch = model.generateTokens(prompts, adapters, options, TokenListener.NONE);
        for (int row = 0; row < prompts.size(); row++) {
            GenerationResult alone = model.generateTokens(List.of(prompts.get(row)), List.of(adapters.get(row)), options,
                    TokenListener.NONE).get(0);
            assertThat(batch.get(row).tokens()).as("row %d (%s)", row, adapters.get(row).describe())
                    .containsExactly(alone.tokens());
        }
        // the rows really differ by adapter: the same prompt under one adapter and under the mixture
        assertThat(batch.get(0).tokens()).isNotEqualTo(batch.get(3).tokens());
    }

    @Test
    void aMixtureOfTwoAdaptersEqualsTheirGatedUpdatesAddedTogether() throws Exception {
        AdapterMix half = new AdapterMix(List.of(new AdapterMix.Part(attentionResident, 0.5f),
                new AdapterMix.Part(everythingResident, 0.5f)));
        // by linearity: logits are not linear, but the merged weights W + 0.5 dA + 0.5 dB are checked exactly via merge
        float[] mixed = model.logits(PROMPT, half);
        LoraAdapter halfAttention = scaled(attention, 0.5f);
        LoraAdapter halfEverything = scaled(everything, 0.5f);
        try (ResidentAdapter first = model.materialise(halfAttention, 64);
             ResidentAdapter second = model.materialise(halfEverything, 64)) {
            model.merge(first);
            try {
                float[] mergedOne = model.logits(PROMPT, AdapterMix.of(first));
                assertThat(maxDifference(mergedOne, model.logits(PROMPT, AdapterMix.of(first)))).isZero();
            } finally {
                model.unmerge();
            }
            float[] sum = model.logits(PROMPT, new AdapterMix(List.of(new AdapterMix.Part(first, 1f), new AdapterMix.Part(second, 1f))));
            assertThat(maxDifference(mixed, sum)).isLessThan(1e-5);
        }
    }

    private static LoraAdapter scaled(LoraAdapter adapter, float factor) {
        List<LoraModule> modules = adapter.modules().stream().map(module -> {
            float[] b = module.b().clone();
            for (int i = 0; i < b.length; i++) {
                b[i] *= factor;
            }
            return LoraModule.of(module.module(), module.rank(), module.scale(), module.in(), module.out(), module.a(), b);
        }).toList();
        return LoraAdapter.of(adapter.name() + "-scaled", adapter.config(), modules);
    }

    @Test
    void anAdapterOfTheWrongShapeIsRefusedWithItsNameKeyAndExpectedShape() {
        ModelConfig wider = new ModelConfig(ModelConfig.Architecture.LLAMA, 264, 128, 96, 2, 4, 2, 32, 1e-5, 10000, null,
                256, false, false, "float32", 256, 257);
        LoraAdapter wrong = LoraFixtures.adapter("too-wide", wider, 4, 8, 3, "q_proj");
        assertThatThrownBy(() -> model.materialise(wrong, 64))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("too-wide")
                .hasMessageContaining("q_proj");
        // requests with the good adapters are undisturbed
        assertThat(model.logits(PROMPT, AdapterMix.of(attentionResident))).isNotEmpty();
    }

    @Test
    void scoringUnderAnAdapterUsesIt() {
        double base = model.score("Togo uses", List.of(" francs")).get(0).logLikelihood();
        double adapted = model.score("Togo uses", List.of(" francs"), AdapterMix.of(everythingResident)).get(0).logLikelihood();
        assertThat(adapted).isNotCloseTo(base, org.assertj.core.data.Offset.offset(1e-3));
    }
}
