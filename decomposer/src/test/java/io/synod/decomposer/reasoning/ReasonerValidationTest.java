package io.synod.decomposer.reasoning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReasonerValidationTest {

    @Test
    void anEmptyQuestionIsRefused() {
        assertThatThrownBy(() -> Reasoner.validate("  ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> Reasoner.validate(null)).hasMessageContaining("empty");
    }

    @Test
    void aVeryLongQuestionIsRefusedWithItsLength() {
        assertThatThrownBy(() -> Reasoner.validate("why ".repeat(100)))
                .hasMessageContaining("399 characters").hasMessageContaining("at most 300");
    }

    @Test
    void controlCharactersAreRefusedWithTheirPosition() {
        assertThatThrownBy(() -> Reasoner.validate("capital of\u0000 Togo"))
                .hasMessageContaining("U+0000").hasMessageContaining("position 10");
    }

    @Test
    void punctuationAloneIsNotAQuestion() {
        assertThatThrownBy(() -> Reasoner.validate("?!?")).hasMessageContaining("no letters or digits");
    }

    @Test
    void aQuestionIsStripped() {
        assertThat(Reasoner.validate("  What is the capital of Togo?\n")).isEqualTo("What is the capital of Togo?");
    }

    @Test
    void strategiesParseByNameAndUnknownOnesAreListed() {
        assertThat(Strategy.parse("DaSLaM")).isEqualTo(Strategy.DASLAM);
        assertThatThrownBy(() -> Strategy.parse("guess")).hasMessageContaining("[auto, decomp, ksl, daslam, direct]");
    }
}
