// The adapter's settings: targets checked and expanded, the scale with and without rsLoRA.
package io.synod.solvers.training.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdapterOptionsTest {

    @Test
    void allLinearExpandsToTheSevenProjectionsAndDuplicatesAreDropped() {
        assertThat(AdapterOptions.defaults().withTargets(List.of("v_proj", "all-linear")).targets())
                .containsExactly("v_proj", "q_proj", "k_proj", "o_proj", "gate_proj", "up_proj", "down_proj");
    }

    @Test
    void aTargetThatIsNotALinearProjectionIsRefusedNamingTheExpectedOnes() {
        assertThatThrownBy(() -> AdapterOptions.defaults().withTargets(List.of("q_proj", "lm_head")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'lm_head'")
                .hasMessageContaining("[q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj]");
    }

    @Test
    void theScaleIsAlphaOverRankOrOverItsSquareRootWithRsLora() {
        AdapterOptions options = AdapterOptions.defaults().withRank(16).withAlpha(32);
        assertThat(options.scale()).isEqualTo(2);
        assertThat(options.withRsLora(true).scale()).isEqualTo(8);
    }

    @Test
    void aRankBelowOneIsRefused() {
        assertThatThrownBy(() -> AdapterOptions.defaults().withRank(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rank must be at least 1, got 0");
    }
}
