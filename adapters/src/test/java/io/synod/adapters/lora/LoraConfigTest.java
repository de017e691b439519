// PEFT's rules for which modules an adapter targets and with what rank, alpha and scale.
package io.synod.adapters.lora;

import static io.synod.adapters.lora.PeftFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraConfigTest {

    private static final String Q0 = "model.layers.0.self_attn.q_proj";
    private static final String Q1 = "model.layers.1.self_attn.q_proj";
    private static final String K0 = "model.layers.0.self_attn.k_proj";
    private static final String V0 = "model.layers.0.self_attn.v_proj";
    private static final String DOWN0 = "model.layers.0.mlp.down_proj";
    private static final String DOWN1 = "model.layers.1.mlp.down_proj";

    @TempDir
    Path directory;

    private LoraConfig read(String json) throws IOException {
        Path file = directory.resolve("my-adapter").resolve(LoraAdapter.CONFIG_FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return LoraConfig.read(file);
    }

    @Test
    void aPeftConfigIsReadWithItsSettings() throws IOException {
        LoraConfig config = read(config("r", "4", "lora_alpha", "16", "use_rslora", "true"));

        assertThat(config.rank()).isEqualTo(4);
        assertThat(config.alpha()).isEqualTo(16.0);
        assertThat(config.useRslora()).isTrue();
        assertThat(config.fanInFanOut()).isFalse();
        assertThat(config.targets()).isEqualTo(TargetModules.names("v_proj", "q_proj"));
        assertThat(config.baseModel()).isEqualTo("HuggingFaceTB/SmolLM2-135M");
        assertThat(config.layersToTransform()).isEmpty();
    }

    @Test
    void missingRankAndAlphaTakePeftDefaults() throws IOException {
        LoraConfig config = read("{\"target_modules\": [\"q_proj\"]}");

        assertThat(config.rank()).isEqualTo(8);
        assertThat(config.alpha()).isEqualTo(8.0);
        assertThat(config.baseModel()).isNull();
    }

    @Test
    void aTargetModulesListMatchesWholeTrailingComponentsOfTheModuleName() throws IOException {
        LoraConfig config = read(config("target_modules", "[\"q_proj\", \"mlp.down_proj\"]"));

        assertThat(config.targets(Q0, 0)).isTrue();
        assertThat(config.targets(DOWN1, 1)).isTrue();
        assertThat(config.targets(K0, 0)).isFalse();
        assertThat(config.targets("model.layers.0.self_attn.xq_proj", 0)).isFalse();
    }

    @Test
    void aTargetModulesStringIsARegexThatMustMatchTheWholeModuleName() throws IOException {
        LoraConfig anchored = read(config("target_modules", "\".*\\\\.(q|v)_proj\""));
        LoraConfig partial = read(config("target_modules", "\"q_proj\""));

        assertThat(anchored.targets()).isEqualTo(TargetModules.regex(".*\\.(q|v)_proj"));
        assertThat(anchored.targets(Q0, 0)).isTrue();
        assertThat(anchored.targets(V0, 0)).isTrue();
        assertThat(anchored.targets(K0, 0)).isFalse();
        assertThat(partial.targets(Q0, 0)).as("re.fullmatch, not re.search").isFalse();
    }

    @Test
    void allLinearTargetsEveryLinearModuleButTheOutputHeadInAnyCase() throws IOException {
        LoraConfig config = read(config("target_modules", "\"ALL-LINEAR\""));

        assertThat(config.targets()).isEqualTo(TargetModules.allLinear());
        assertThat(PeftFixtures.LINEAR_MODULES.keySet())
                .allMatch(module -> config.targets(module, LoraConfig.layerOf(module)));
        assertThat(config.targets("lm_head", -1)).isFalse();
    }

    @Test
    void scaleIsAlphaOverRank() throws IOException {
        LoraConfig config = read(config("r", "4", "lora_alpha", "8"));

        assertThat(config.scaleFor(Q0)).isEqualTo(2.0);
    }

    @Test
    void rsLoraScalesByAlphaOverTheSquareRootOfTheRank() throws IOException {
        LoraConfig config = read(config("r", "4", "lora_alpha", "8", "use_rslora", "true"));

        assertThat(config.scaleFor(Q0)).isEqualTo(4.0);
    }

    @Test
    void rankAndAlphaPatternsOverrideTheDefaultsPerModule() throws IOException {
        LoraConfig config = read(config("r", "2", "lora_alpha", "4",
                "rank_pattern", "{\"q_proj\": 4, \"layers.1.mlp.down_proj\": 6}",
                "alpha_pattern", "{\"down_proj\": 3}"));

        assertThat(config.rankFor(Q0)).isEqualTo(4);
        assertThat(config.rankFor(Q1)).isEqualTo(4);
        assertThat(config.rankFor(DOWN1)).isEqualTo(6);
        assertThat(config.rankFor(DOWN0)).isEqualTo(2);
        assertThat(config.rankFor(V0)).isEqualTo(2);
        assertThat(config.alphaFor(DOWN0)).isEqualTo(3.0);
        assertThat(config.alphaFor(Q0)).isEqualTo(4.0);
        assertThat(config.scaleFor(DOWN1)).isEqualTo(0.5);
        assertThat(config.scaleFor(Q0)).isEqualTo(1.0);
    }

    @Test
    void theFirstPatternKeyThatMatchesWinsInFileOrder() throws IOException {
        LoraConfig config = read(config("rank_pattern", "{\"layers\\\\.1\\\\..*\": 3, \"q_proj\": 5}"));

        assertThat(config.rankFor(Q1)).isEqualTo(3);
        assertThat(config.rankFor(Q0)).isEqualTo(5);
    }

    @Test
    void aPatternKeyMatchesWholeComponentsNotPartOfAName() throws IOException {
        LoraConfig config = read(config("rank_pattern", "{\"proj\": 7}", "alpha_pattern", "{\"_proj\": 7}"));

        assertThat(config.rankFor(Q0)).isEqualTo(2);
        assertThat(config.alphaFor(Q0)).isEqualTo(4.0);
    }

    @Test
    void layersToTransformKeepsOnlyTheListedLayers() throws IOException {
        LoraConfig single = read(config("layers_to_transform", "1"));
        LoraConfig list = read(config("layers_to_transform", "[0, 1]"));

        assertThat(single.layersToTransform()).containsExactly(1);
        assertThat(single.targets(Q1, 1)).isTrue();
        assertThat(single.targets(Q0, 0)).isFalse();
        assertThat(single.targets("lm_head.q_proj", -1)).isFalse();
        assertThat(list.targets(Q0, 0)).isTrue();
        assertThat(list.targets(Q1, 1)).isTrue();
    }

    @Test
    void aModuleListedByItsWholeNameIsTargetedWhateverLayersToTransformSays() throws IOException {
        LoraConfig config = read(config("target_modules", "[\"" + Q0 + "\", \"v_proj\"]", "layers_to_transform", "[1]"));

        assertThat(config.targets(Q0, 0)).isTrue();
        assertThat(config.targets(V0, 0)).isFalse();
    }

    @Test
    void aRegexTargetCannotBeCombinedWithLayersToTransform() {
        assertThatThrownBy(() -> read(config("target_modules", "\".*q_proj\"", "layers_to_transform", "[0]")))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("my-adapter")
                .hasMessageContaining("layers_to_transform");
    }

    @Test
    void theLayerIsParsedFromTheModuleName() {
        assertThat(LoraConfig.layerOf("model.layers.13.mlp.up_proj")).isEqualTo(13);
        assertThat(LoraConfig.layerOf("lm_head")).isEqualTo(-1);
    }

    @Test
    void aWrittenConfigReadsBackEqual() {
        LoraConfig config = new LoraConfig(4, 12.5, TargetModules.names("q_proj", "down_proj"), true, false,
                Map.of("down_proj", 8), Map.of("q_proj", 3.0), List.of(0, 1), "base/model");
        Path file = directory.resolve(LoraAdapter.CONFIG_FILE);

        config.write(file);

        assertThat(LoraConfig.read(file)).isEqualTo(config);
    }

    @Test
    void aWrittenConfigCarriesThePeftSettingsPeftExpects() throws IOException {
        Path file = directory.resolve(LoraAdapter.CONFIG_FILE);

        LoraConfig.of(8, 16, TargetModules.allLinear(), "base/model").write(file);

        String json = Files.readString(file);
        assertThat(json).contains("\"peft_type\": \"LORA\"", "\"task_type\": \"CAUSAL_LM\"",
                "\"base_model_name_or_path\": \"base/model\"", "\"lora_dropout\": 0.0", "\"init_lora_weights\": true",
                "\"bias\": \"none\"", "\"r\": 8", "\"lora_alpha\": 16", "\"target_modules\": \"all-linear\"");
        assertThat(json.indexOf("\"alpha_pattern\"")).isLessThan(json.indexOf("\"use_rslora\""));
    }

    @Test
    void aConfigIsWrittenIdenticallyEachTime() throws IOException {
        LoraConfig config = new LoraConfig(2, 4, TargetModules.regex(".*proj"), false, false,
                Map.of("q_proj", 4), Map.of(), List.of(), null);
        Path first = directory.resolve("first.json");
        Path second = directory.resolve("second.json");

        config.write(first);
        config.write(second);

        assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(second));
    }

    @Test
    void fanInFanOutIsKeptButChangesNoScale() throws IOException {
        LoraConfig config = read(config("fan_in_fan_out", "true"));

        assertThat(config.fanInFanOut()).isTrue();
        assertThat(config.scaleFor(Q0)).isCloseTo(2.0, within(1e-12));
    }
}
