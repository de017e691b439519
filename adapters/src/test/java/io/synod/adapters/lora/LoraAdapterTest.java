// Reads adapters laid out as PEFT saves them, writes them back, and refuses what the runtime cannot apply.
package io.synod.adapters.lora;

import static io.synod.adapters.lora.PeftFixtures.adapter;
import static io.synod.adapters.lora.PeftFixtures.config;
import static io.synod.adapters.lora.PeftFixtures.key;
import static io.synod.adapters.lora.PeftFixtures.values;
import static io.synod.adapters.lora.PeftFixtures.weights;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synod.adapters.safetensors.DType;
import io.synod.adapters.safetensors.SafetensorsFile;
import io.synod.adapters.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraAdapterTest {

    private static final String Q0 = "model.layers.0.self_attn.q_proj";
    private static final String V0 = "model.layers.0.self_attn.v_proj";
    private static final String Q1 = "model.layers.1.self_attn.q_proj";
    private static final String V1 = "model.layers.1.self_attn.v_proj";

    @TempDir
    Path directory;

    private PeftFixtures.Weights queryAndValue() {
        return weights().lora(V1, 2).lora(Q1, 2).lora(V0, 2).lora(Q0, 2);
    }

    @Test
    void anAdapterWrittenAsPeftDoesIsReadModuleByModule() {
        PeftFixtures.Weights weights = queryAndValue();
        Path path = adapter(directory.resolve("sql"), config("lora_alpha", "8"), weights);

        LoraAdapter adapter = LoraAdapter.read("sql", path);

        assertThat(adapter.name()).isEqualTo("sql");
        assertThat(adapter.config().rank()).isEqualTo(2);
        LoraModule query = adapter.modules().get(0);
        assertThat(query.module()).isEqualTo(Q0);
        assertThat(query.layer()).isEqualTo(0);
        assertThat(query.projection()).isEqualTo("q_proj");
        assertThat(query.rank()).isEqualTo(2);
        assertThat(query.in()).isEqualTo(8);
        assertThat(query.out()).isEqualTo(8);
        assertThat(query.scale()).isEqualTo(4.0f);
        assertThat(query.a()).containsExactly(weights.valuesOf(key(Q0, "A")));
        assertThat(query.b()).containsExactly(weights.valuesOf(key(Q0, "B")));
    }

    @Test
    void modulesAreSortedByLayerThenProjection() {
        Path path = adapter(directory.resolve("sql"), config(), queryAndValue());

        LoraAdapter adapter = LoraAdapter.read("sql", path);

        assertThat(adapter.modules()).extracting(LoraModule::module).containsExactly(Q0, V0, Q1, V1);
    }

    @Test
    void halfPrecisionFactorsAreReadAsFloats() {
        for (DType dtype : List.of(DType.F16, DType.BF16)) {
            PeftFixtures.Weights weights = weights().as(dtype).lora(Q0, 2).lora(Q1, 2).lora(V0, 2).lora(V1, 2);
            Path path = adapter(directory.resolve(dtype.name()), config(), weights);

            LoraAdapter adapter = LoraAdapter.read(dtype.name(), path);

            assertThat(adapter.modules().get(0).a()).as(dtype.name()).containsExactly(weights.valuesOf(key(Q0, "A")));
        }
    }

    @Test
    void byteSizeCountsTheFloatsOfEveryFactor() {
        Path path = adapter(directory.resolve("sql"), config(), queryAndValue());

        LoraAdapter adapter = LoraAdapter.read("sql", path);

        // Per layer: q A [2 x 8] + B [8 x 2], v A [2 x 8] + B [4 x 2]: 56 floats.
        assertThat(adapter.byteSize()).isEqualTo(2 * 56 * 4);
    }

    @Test
    void anAdapterWrittenAndReadBackIsEqual() {
        LoraConfig config = new LoraConfig(2, 4, TargetModules.names("q_proj", "down_proj"), true, false,
                Map.of("down_proj", 3), Map.of(), List.of(), "base/model");
        String down = "model.layers.0.mlp.down_proj";
        LoraAdapter adapter = LoraAdapter.of("mine", config, List.of(
                LoraModule.of(Q0, 2, (float) config.scaleFor(Q0), 8, 8, values(16, 1), values(16, 2)),
                LoraModule.of(Q1, 2, (float) config.scaleFor(Q1), 8, 8, values(16, 3), values(16, 4)),
                LoraModule.of(down, 3, (float) config.scaleFor(down), 12, 8, values(36, 5), values(24, 6))));

        adapter.write(directory.resolve("mine"));

        LoraAdapter read = LoraAdapter.read("mine", directory.resolve("mine"));
        assertThat(read).isEqualTo(adapter);
        read.validate(() -> Map.of(Q0, new ModuleShape(8, 8), Q1, new ModuleShape(8, 8), down,
                new ModuleShape(12, 8)), 8);
    }

    @Test
    void writingTheSameAdapterTwiceGivesIdenticalFiles() throws IOException {
        LoraAdapter adapter = LoraAdapter.read("sql", adapter(directory.resolve("sql"), config(), queryAndValue()));

        adapter.write(directory.resolve("first"));
        adapter.write(directory.resolve("second"));

        for (String file : List.of(LoraAdapter.CONFIG_FILE, LoraAdapter.WEIGHTS_FILE)) {
            assertThat(Files.readAllBytes(directory.resolve("first").resolve(file)))
                    .as(file).isEqualTo(Files.readAllBytes(directory.resolve("second").resolve(file)));
        }
    }

    @Test
    void writtenWeightsUsePeftKeysAndShapes() {
        LoraAdapter adapter = LoraAdapter.read("sql", adapter(directory.resolve("sql"), config(), queryAndValue()));

        adapter.write(directory.resolve("copy"));

        try (SafetensorsFile file = SafetensorsFile.open(directory.resolve("copy").resolve(LoraAdapter.WEIGHTS_FILE))) {
            assertThat(file.tensors()).extracting(TensorInfo::name).containsExactlyInAnyOrder(
                    key(Q0, "A"), key(Q0, "B"), key(V0, "A"), key(V0, "B"),
                    key(Q1, "A"), key(Q1, "B"), key(V1, "A"), key(V1, "B"));
            assertThat(file.tensor(key(V0, "A")).orElseThrow().shape()).containsExactly(2, 8);
            assertThat(file.tensor(key(V0, "B")).orElseThrow().shape()).containsExactly(4, 2);
            assertThat(file.metadata()).containsEntry("format", "pt");
        }
    }

    @Test
    void fanInFanOutLeavesTheFactorsAsPeftStoresThem() {
        PeftFixtures.Weights weights = queryAndValue();
        Path path = adapter(directory.resolve("gpt2-style"), config("fan_in_fan_out", "true"), weights);

        LoraAdapter adapter = LoraAdapter.read("gpt2-style", path);

        LoraModule value = adapter.modules().get(1);
        assertThat(adapter.config().fanInFanOut()).isTrue();
        assertThat(value.module()).isEqualTo(V0);
        assertThat(value.in()).isEqualTo(8);
        assertThat(value.out()).isEqualTo(4);
        assertThat(value.a()).containsExactly(weights.valuesOf(key(V0, "A")));
        assertThat(value.b()).containsExactly(weights.valuesOf(key(V0, "B")));
        adapter.validate(PeftFixtures.TINY_LLAMA, 8);
    }

    @Test
    void aPickledAdapterIsRefusedWithWhyAndHowToConvert() throws IOException {
        Path path = Files.createDirectories(directory.resolve("pickled"));
        Files.writeString(path.resolve(LoraAdapter.CONFIG_FILE), config());
        Files.write(path.resolve(LoraAdapter.PICKLED_FILE), new byte[] {(byte) 0x80, 2});

        assertThatThrownBy(() -> LoraAdapter.read("pickled", path))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("'pickled'")
                .hasMessageContaining("adapter_model.bin")
                .hasMessageContaining("run arbitrary code")
                .hasMessageContaining("save_pretrained(directory, safe_serialization=True)");
    }

    @Test
    void aDoraAdapterIsRefusedNamingTheSetting() {
        Path path = adapter(directory.resolve("dora"), config("use_dora", "true"), queryAndValue());

        assertThatThrownBy(() -> LoraAdapter.read("dora", path))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("adapter 'dora'")
                .hasMessageContaining("\"use_dora\" is true");
    }

    @Test
    void anAdapterWithModulesToSaveIsRefusedNamingTheSetting() {
        Path path = adapter(directory.resolve("head"), config("modules_to_save", "[\"lm_head\"]"), queryAndValue());

        assertThatThrownBy(() -> LoraAdapter.read("head", path))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("adapter 'head'")
                .hasMessageContaining("\"modules_to_save\" is [\"lm_head\"]");
    }

    @Test
    void anAdapterThatTrainsAllBiasesIsRefused() {
        Path path = adapter(directory.resolve("biased"), config("bias", "\"all\""), queryAndValue());

        assertThatThrownBy(() -> LoraAdapter.read("biased", path))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("adapter 'biased'")
                .hasMessageContaining("\"bias\" is \"all\"")
                .hasMessageContaining("expected \"none\"");
    }

    @Test
    void anAdapterThatTrainsLoraOnlyBiasesIsRefused() {
        Path path = adapter(directory.resolve("biased"), config("bias", "\"lora_only\""), queryAndValue());

        assertThatThrownBy(() -> LoraAdapter.read("biased", path))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("adapter 'biased'")
                .hasMessageContaining("\"bias\" is \"lora_only\"");
    }

    @Test
    void anAdapterOfAnotherPeftTypeIsRefused() {
        Path path = adapter(directory.resolve("loha"), config("peft_type", "\"LOHA\""), queryAndValue());

        assertThatThrownBy(() -> LoraAdapter.read("loha", path))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("adapter 'loha'")
                .hasMessageContaining("\"peft_type\" is \"LOHA\"");
    }

    @Test
    void anAdapterThatNeedsItsAlteredBaseIsRefused() {
        Path path = adapter(directory.resolve("pissa"), config("init_lora_weights", "\"pissa_niter_4\""),
                queryAndValue());

        assertThatThrownBy(() -> LoraAdapter.read("pissa", path))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("adapter 'pissa'")
                .hasMessageContaining("init_lora_weights")
                .hasMessageContaining("path_initial_model_for_weight_conversion");
    }

    @Test
    void aKeyThatIsNotALoraFactorIsRefused() {
        String magnitude = "base_model.model." + Q0 + ".lora_magnitude_vector";
        Path path = adapter(directory.resolve("extra"), config(),
                queryAndValue().tensor(magnitude, new long[] {8}, values(8, 9)));

        assertThatThrownBy(() -> LoraAdapter.read("extra", path))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("adapter 'extra'")
                .hasMessageContaining("unexpected key '" + magnitude + "'");
    }

    @Test
    void aFactorWithoutItsPartnerIsRefusedNamingBothKeys() {
        Path path = adapter(directory.resolve("half"), config(), queryAndValue().without(key(V1, "B")));

        assertThatThrownBy(() -> LoraAdapter.read("half", path))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("adapter 'half'")
                .hasMessageContaining("key '" + key(V1, "A") + "' has no partner '" + key(V1, "B") + "'")
                .hasMessageContaining("[out, r]");
    }

    @Test
    void factorsOfDifferentRanksAreRefusedNamingTheOddOne() {
        Path path = adapter(directory.resolve("ranks"), config(), queryAndValue()
                .tensor(key(V0, "B"), new long[] {4, 3}, values(12, 7)));

        assertThatThrownBy(() -> LoraAdapter.read("ranks", path))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("adapter 'ranks'")
                .hasMessageContaining("key '" + key(V0, "B") + "' has shape [4, 3]; expected [4, 2]");
    }

    @Test
    void aMissingDirectoryIsReported() {
        assertThatThrownBy(() -> LoraAdapter.read("absent", directory.resolve("absent")))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("adapter 'absent'")
                .hasMessageContaining("not a directory");
    }
}
