// Fuzzy candidate generation and scoring on a handful of labels.
package io.synod.kg.linking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FuzzyIndexTest {

    private final String[] keys = {"lome", "london", "togo", "tonga", "ouagadougou", "new york city", "york"};
    private final FuzzyIndex index = new FuzzyIndex(keys);

    private String best(String query) {
        List<FuzzyIndex.ScoredKey> found = index.search(query);
        assertThat(found).as("matches for %s", query).isNotEmpty();
        return keys[found.get(0).key()];
    }

    @Test
    void findsAKeyWithOneLetterWrong() {
        assertThat(best("lime")).isEqualTo("lome");
        assertThat(best("ouagadougu")).isEqualTo("ouagadougou");
    }

    @Test
    void findsAKeyWithTwoLettersSwapped() {
        assertThat(best("lmoe")).isEqualTo("lome");
    }

    @Test
    void findsAKeyFromItsFirstWords() {
        assertThat(best("new york")).isEqualTo("new york city");
    }

    @Test
    void scoresStayBelowOneAndAboveTheThreshold() {
        assertThat(index.search("tonag")).allSatisfy(scored ->
                assertThat(scored.score()).isBetween(FuzzyIndex.MIN_SCORE, FuzzyIndex.MAX_SCORE));
    }

    @Test
    void leavesOutTheExactKeyItself() {
        assertThat(index.search("togo")).noneMatch(scored -> keys[scored.key()].equals("togo"));
    }

    @Test
    void findsNothingForUnrelatedText() {
        assertThat(index.search("zzzzqqq")).isEmpty();
    }

    @Test
    void editDistanceCountsATranspositionAsOneEdit() {
        assertThat(Similarity.editDistance("lmoe", "lome")).isEqualTo(1);
        assertThat(Similarity.editDistance("kitten", "sitting")).isEqualTo(3);
    }
}
