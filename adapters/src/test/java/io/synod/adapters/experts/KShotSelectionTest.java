package io.synod.adapters.experts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synod.adapters.experts.KShotSelection.Candidate;
import io.synod.adapters.experts.KShotSelection.Row;
import io.synod.adapters.experts.KShotSelection.Selection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KShotSelectionTest {

    /** a and b are near twins; c and d are unlike everything. */
    private static final Map<String, Double> SIMILAR = Map.of("a|b", 0.95, "a|c", 0.1, "a|d", 0.2, "b|c", 0.15,
            "b|d", 0.1, "c|d", 0.05, "a|e", 0.3, "b|e", 0.3, "c|e", 0.3, "d|e", 0.3);

    private static double similarity(String first, String second) {
        String key = first.compareTo(second) < 0 ? first + "|" + second : second + "|" + first;
        return SIMILAR.getOrDefault(key, 0.0);
    }

    @Test
    void candidatesAreRankedByExactMatchAndPerplexityAndSummed() {
        Selection selection = KShotSelection.select(8, List.of(
                Candidate.measured("a", 0.75, 2.0),
                Candidate.measured("b", 0.50, 1.5),
                Candidate.measured("c", 0.50, 3.0),
                Candidate.measured("d", 0.25, 4.0)), KShotSelectionTest::similarity, 4, 1);
        Row a = row(selection, "a");
        Row b = row(selection, "b");
        Row c = row(selection, "c");
        assertThat(a.exactMatchRank()).isEqualTo(1);
        assertThat(b.exactMatchRank()).isEqualTo(2);
        assertThat(c.exactMatchRank()).isEqualTo(2);   // a tie shares the better rank
        assertThat(row(selection, "d").exactMatchRank()).isEqualTo(4);
        assertThat(b.perplexityRank()).isEqualTo(1);
        assertThat(a.summedRank()).isEqualTo(3);
        assertThat(b.summedRank()).isEqualTo(3);
        // equal summed ranks: the lower perplexity comes first
        assertThat(selection.table()).extracting(Row::name).containsExactly("b", "a", "c", "d");
        assertThat(selection.experts()).containsExactly("b");
    }

    @Test
    void onlyTheTopMAreKeptForGrouping() {
        Selection selection = KShotSelection.select(4, List.of(
                Candidate.measured("a", 1.0, 1.0), Candidate.measured("b", 0.9, 1.1),
                Candidate.measured("c", 0.1, 9.0), Candidate.measured("d", 0.0, 10.0)),
                KShotSelectionTest::similarity, 2, 2);
        assertThat(selection.table()).filteredOn(Row::kept).extracting(Row::name).containsExactly("a", "b");
        assertThat(selection.groups()).hasSize(1);
        assertThat(selection.experts()).containsExactly("a", "b");
    }

    @Test
    void amongGroupsOfEqualQualityTheMostDiverseIsChosen() {
        // all four equally good: every pair has the same quality rank, so diversity decides
        Selection selection = KShotSelection.select(4, List.of(
                Candidate.measured("a", 0.5, 2.0), Candidate.measured("b", 0.5, 2.0),
                Candidate.measured("c", 0.5, 2.0), Candidate.measured("d", 0.5, 2.0)),
                KShotSelectionTest::similarity, 4, 2);
        assertThat(selection.groups()).hasSize(6);
        assertThat(selection.experts()).containsExactly("c", "d");
        assertThat(selection.chosen().meanSimilarity()).isEqualTo(0.05);
        assertThat(selection.reason()).contains("{c, d}").contains("lowest combined rank");
        // the twins come last
        assertThat(selection.groups().get(5).experts()).containsExactly("a", "b");
    }

    @Test
    void qualityAndDiversityRanksAreSummed() {
        // a, b best but twins; {a, c} is both good and diverse
        Selection selection = KShotSelection.select(4, List.of(
                Candidate.measured("a", 1.0, 1.0), Candidate.measured("b", 0.9, 1.1),
                Candidate.measured("c", 0.5, 3.0), Candidate.measured("d", 0.1, 8.0)),
                KShotSelectionTest::similarity, 4, 2);
        assertThat(selection.groups().get(0).experts()).containsExactly("a", "c");
        assertThat(selection.chosen().combinedRank())
                .isEqualTo(selection.chosen().qualityRank() + selection.chosen().diversityRank());
    }

    @Test
    void diversityDifferencesBelowTheResolutionDoNotOutvoteQuality() {
        // the default bank on question lines: direct far better, every adapter nearly orthogonal to the others
        java.util.Map<String, Double> cosines = java.util.Map.of("direct|gloss", 0.023, "decompose|direct", 0.004,
                "compose|direct", 0.049, "decompose|gloss", 0.002, "compose|gloss", 0.001, "compose|decompose", 0.003);
        Selection selection = KShotSelection.select(6, List.of(
                Candidate.measured("direct", 0, 57.6), Candidate.measured("gloss", 0, 347.8),
                Candidate.measured("decompose", 0, 609.3), Candidate.measured("compose", 0, 630.0)),
                (x, y) -> cosines.get(x.compareTo(y) < 0 ? x + "|" + y : y + "|" + x), 4, 2);
        assertThat(selection.experts()).containsExactly("direct", "decompose");
        assertThat(selection.chosen().diversityRank()).isEqualTo(1);
        assertThat(selection.chosen().meanSimilarity()).isEqualTo(0.004);
    }

    @Test
    void aCandidateThatFailedIsListedWithItsErrorAndSkipped() {
        Selection selection = KShotSelection.select(4, List.of(
                Candidate.failed("broken", "adapter 'broken': has no adapter_model.safetensors"),
                Candidate.measured("a", 0.5, 2.0), Candidate.measured("c", 0.25, 2.5)),
                KShotSelectionTest::similarity, 8, 4);
        Row broken = row(selection, "broken");
        assertThat(broken.error()).contains("adapter_model.safetensors");
        assertThat(broken.kept()).isFalse();
        assertThat(selection.experts()).containsExactly("a", "c");
        assertThat(selection.reason()).contains("fewer than N = 4");
    }

    @Test
    void outOfRangeSizesAndNoMeasuredCandidateAreRefused() {
        List<Candidate> one = List.of(Candidate.measured("a", 1, 1));
        assertThatThrownBy(() -> KShotSelection.select(1, one, (x, y) -> 0, 0, 1)).hasMessageContaining("M");
        assertThatThrownBy(() -> KShotSelection.select(1, one, (x, y) -> 0, 2, 3)).hasMessageContaining("N");
        assertThatThrownBy(() -> KShotSelection.select(1, List.of(Candidate.failed("x", "gone")), (x, y) -> 0, 2, 1))
                .hasMessageContaining("no candidate could be measured").hasMessageContaining("gone");
    }

    private static Row row(Selection selection, String name) {
        return selection.table().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }
}
