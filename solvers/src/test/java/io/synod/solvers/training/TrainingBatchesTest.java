// Rows, packing and batches: examples never see each other, only completion tokens are targets, order is seeded.
package io.synod.solvers.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingBatchesTest {

    /** Tokens 1..n with the last {@code learned} of them as targets. */
    private static TokenizedExample example(int base, int length, int learned) {
        int[] tokens = new int[length];
        boolean[] mask = new boolean[length];
        for (int i = 0; i < length; i++) {
            tokens[i] = base + i;
            mask[i] = i >= length - learned;
        }
        return new TokenizedExample(tokens, mask, 0);
    }

    @Test
    void packedExamplesAttendOnlyToThemselvesAndRestartTheirPositions() {
        TrainingBatches batches = new TrainingBatches(List.of(example(10, 3, 1), example(20, 4, 2)), 1, 8, true, 0);
        assertThat(batches.rows()).isEqualTo(1);
        TrainingBatches.Batch batch = batches.batch(0);
        int length = batch.length();
        assertThat(length).isEqualTo(7);
        // positions 0 1 2 | 0 1 2 3, whichever example comes first
        long[] positions = batch.positions();
        int split = batch.tokens()[0] == 10 ? 3 : 4;
        for (int t = 0; t < length; t++) {
            assertThat(positions[t]).isEqualTo(t < split ? t : t - split);
        }
        for (int query = 0; query < length; query++) {
            for (int key = 0; key < length; key++) {
                boolean sameExample = (query < split) == (key < split);
                float expected = key <= query && sameExample ? 0 : Float.NEGATIVE_INFINITY;
                assertThat(batch.mask()[query * length + key]).as("query %d, key %d", query, key).isEqualTo(expected);
            }
        }
    }

    @Test
    void onlyCompletionTokensAreTargetsAndPaddingNeverCounts() {
        TrainingBatches batches = new TrainingBatches(List.of(example(10, 3, 1), example(20, 5, 2)), 2, 8, false, 0);
        TrainingBatches.Batch batch = batches.batch(0);
        assertThat(batch.rows()).isEqualTo(2);
        assertThat(batch.length()).isEqualTo(5);
        assertThat(batch.targetCount()).isEqualTo(3);
        assertThat(batch.realTokens()).isEqualTo(8);
        List<Long> targets = new ArrayList<>();
        for (int i = 0; i < batch.weights().length; i++) {
            if (batch.weights()[i] == 1) {
                targets.add(batch.targets()[i]);
            }
        }
        // position t predicts token t + 1: the last token of the first example, the last two of the second
        assertThat(targets).containsExactlyInAnyOrder(12L, 23L, 24L);
    }

    @Test
    void anExampleWithNothingToLearnWithinTheSequenceLengthIsLeftOut() {
        TrainingBatches batches = new TrainingBatches(List.of(example(10, 6, 2), example(20, 3, 1)), 4, 4, false, 0);
        assertThat(batches.rows()).isEqualTo(1);
        assertThat(batches.dropped()).isEqualTo(1);
    }

    @Test
    void theSameStepGivesTheSameBatchAndEachEpochIsAShuffleOfAllRows() {
        List<TokenizedExample> examples = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            examples.add(example(100 * (i + 1), 2, 1));
        }
        TrainingBatches batches = new TrainingBatches(examples, 2, 8, false, 7);
        assertThat(batches.batchesPerEpoch()).isEqualTo(3);
        assertThat(batches.batch(4).tokens()).containsExactly(batches.batch(4).tokens());
        for (int epoch = 0; epoch < 2; epoch++) {
            List<Long> firsts = new ArrayList<>();
            for (int step = epoch * 3; step < epoch * 3 + 3; step++) {
                long[] tokens = batches.batch(step).tokens();
                firsts.add(tokens[0]);
                firsts.add(tokens[2]);
            }
            assertThat(firsts).containsExactlyInAnyOrder(100L, 200L, 300L, 400L, 500L, 600L);
        }
    }
}
