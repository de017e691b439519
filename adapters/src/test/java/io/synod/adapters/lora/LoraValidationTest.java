// Checks an adapter against the base model's linear modules: names, shapes, ranks, scales, coverage.
package io.synod.adapters.lora;

import static io.synod.adapters.lora.PeftFixtures.TINY_LLAMA;
import static io.synod.adapters.lora.PeftFixtures.adapter;
import static io.synod.adapters.lora.PeftFixtures.config;
import static io.synod.adapters.lora.PeftFixtures.key;
import static io.synod.adapters.lora.PeftFixtures.values;
import static io.synod.adapters.lora.PeftFixtures.weights;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraValidationTest {

    private static final String Q0 = "model.layers.0.self_attn.q_proj";
    private static final String V0 = "model.layers.0.self_attn.v_proj";
    private static final String Q1 = "model.layers.1.self_attn.q_proj";
    private static final String V1 = "model.layers.1.self_attn.v_proj";

    @TempDir
    Path directory;

    private LoraAdapter read(String configJson, PeftFixtures.Weights weights) {
        return LoraAdapter.read("checked", adapter(directory.resolve("checked"), configJson, weights));
    }

    private static PeftFixtures.Weights queryAndValue() {
        return weights().lora(Q0, 2).lora(V0, 2).lora(Q1, 2).lora(V1, 2);
    }

    @Test
    void anAdapterThatFitsTheBasePasses() {
        LoraAdapter adapter = read(config(), queryAndValue());

        assertThatCode(() -> adapter.validate(TINY_LLAMA, 8)).doesNotThrowAnyException();
    }

    @Test
    void allLinearWithRankAndAlphaPatternsPasses() {
        PeftFixtures.Weights weights = weights();
        PeftFixtures.LINEAR_MODULES.keySet().forEach(module -> weights.lora(module, module.endsWith("down_proj") ? 4 : 2));
        LoraAdapter adapter = read(config("target_modules", "\"all-linear\"", "rank_pattern", "{\"down_proj\": 4}",
                "alpha_pattern", "{\"down_proj\": 2}"), weights);

        assertThatCode(() -> adapter.validate(TINY_LLAMA, 8)).doesNotThrowAnyException();
    }

    @Test
    void aModuleTheBaseDoesNotHaveIsReported() {
        String extra = "model.layers.2.self_attn.q_proj";
        LoraAdapter adapter = read(config(), queryAndValue().lora(extra, 2, 8, 8));

        assertThatThrownBy(() -> adapter.validate(TINY_LLAMA, 8))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("adapter 'checked'")
                .hasMessageContaining("key '" + key(extra, "A") + "'")
                .hasMessageContaining("which the base model does not have");
    }

    @Test
    void aWrongShapeOfAIsReportedWithTheExpectedShape() {
        LoraAdapter adapter = read(config(), queryAndValue().lora(Q1, 2, 9, 8));

        assertThatThrownBy(() -> adapter.validate(TINY_LLAMA, 8))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("adapter 'checked'")
                .hasMessageContaining("key '" + key(Q1, "A") + "' has shape [2, 9]; expected [2, 8]");
    }

    @Test
    void aWrongShapeOfBIsReportedWithTheExpectedShape() {
        LoraAdapter adapter = read(config(), queryAndValue().lora(V0, 2, 8, 8));

        assertThatThrownBy(() -> adapter.validate(TINY_LLAMA, 8))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("adapter 'checked'")
                .hasMessageContaining("key '" + key(V0, "B") + "' has shape [8, 2]; expected [4, 2]");
    }

    @Test
    void aRankOtherThanTheConfigsIsReportedWithTheExpectedShape() {
        LoraAdapter adapter = read(config(), queryAndValue().lora(Q0, 4));

        assertThatThrownBy(() -> adapter.validate(TINY_LLAMA, 8))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("key '" + key(Q0, "A") + "' has shape [4, 8]; expected [2, 8]");
    }

    @Test
    void aRankOverTheMaximumIsReported() {
        LoraAdapter adapter = read(config("r", "16", "lora_alpha", "32"), weights()
                .lora(Q0, 16).lora(V0, 16).lora(Q1, 16).lora(V1, 16));

        assertThatThrownBy(() -> adapter.validate(TINY_LLAMA, 8))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("adapter 'checked'")
                .hasMessageContaining("key '" + key(Q0, "A") + "' has shape [16, 8]")
                .hasMessageContaining("over the maximum rank 8; expected [r, 8] with r <= 8");
    }

    @Test
    void aModuleTheConfigDoesNotTargetIsReported() {
        String key0 = "model.layers.0.self_attn.k_proj";
        LoraAdapter adapter = read(config(), queryAndValue().lora(key0, 2));

        assertThatThrownBy(() -> adapter.validate(TINY_LLAMA, 8))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("key '" + key(key0, "A") + "'")
                .hasMessageContaining("does not target");
    }

    @Test
    void aTargetedModuleWithoutFactorsIsReportedWithTheExpectedShapes() {
        LoraAdapter adapter = read(config(), weights().lora(Q0, 2).lora(V0, 2).lora(Q1, 2));

        assertThatThrownBy(() -> adapter.validate(TINY_LLAMA, 8))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("adapter 'checked'")
                .hasMessageContaining("targets base module '" + V1 + "'")
                .hasMessageContaining("'" + key(V1, "A") + "' [2, 8] and '" + key(V1, "B") + "' [4, 2]");
    }

    @Test
    void layersToTransformExcusesTheOtherLayers() {
        LoraAdapter adapter = read(config("layers_to_transform", "[1]"), weights().lora(Q1, 2).lora(V1, 2));

        assertThatCode(() -> adapter.validate(TINY_LLAMA, 8)).doesNotThrowAnyException();
    }

    @Test
    void anInMemoryModuleWithTheWrongScaleIsReported() {
        LoraConfig config = LoraConfig.of(2, 4, TargetModules.names(Q0), null);
        LoraAdapter adapter = LoraAdapter.of("made", config,
                List.of(LoraModule.of(Q0, 2, 1.0f, 8, 8, values(16, 1), values(16, 2))));

        assertThatThrownBy(() -> adapter.validate(TINY_LLAMA, 8))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("adapter 'made'")
                .hasMessageContaining("scale 1.0; expected 2.0");
    }
}
