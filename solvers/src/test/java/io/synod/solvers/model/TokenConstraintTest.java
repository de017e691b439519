package io.synod.solvers.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenConstraintTest {

    private static final int END = 257;

    @Test
    void onlyPrefixesOfTheAllowedContinuationsMayBeWritten() {
        TokenConstraint constraint = TokenConstraint.of(List.of(new int[] {1, 2, 3}, new int[] {1, 4}), END);
        assertThat(constraint.allowed(new int[0], 0)).containsExactly(1);
        assertThat(constraint.allowed(new int[] {1}, 1)).containsExactly(2, 4);
        assertThat(constraint.allowed(new int[] {1, 4}, 2)).containsExactly(END);
        assertThat(constraint.longest()).isEqualTo(3);
    }

    @Test
    void aContinuationThatIsAPrefixOfAnotherMayEndOrGoOn() {
        TokenConstraint constraint = TokenConstraint.of(List.of(new int[] {5}, new int[] {5, 6}), END);
        assertThat(constraint.allowed(new int[] {5}, 1)).containsExactly(6, END);
    }

    @Test
    void disallowedLogitsBecomeNegativeInfinityAndAllowedOnesStay() {
        TokenConstraint constraint = TokenConstraint.of(List.of(new int[] {2}, new int[] {0}), 3);
        float[] logits = {9, 1, 5, 7, 8};
        constraint.apply(new int[0], 0, logits, 1, 4);
        assertThat(logits).containsExactly(9, 1, Float.NEGATIVE_INFINITY, 7, Float.NEGATIVE_INFINITY);
    }

    @Test
    void anEmptySetIsRefused() {
        assertThatThrownBy(() -> TokenConstraint.of(List.of(), END)).hasMessageContaining("at least one");
    }
}
