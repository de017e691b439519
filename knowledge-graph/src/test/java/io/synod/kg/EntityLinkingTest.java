// Entity linking on a small world graph: exact, accent- and case-insensitive, fuzzy, prominence, mentions.
package io.synod.kg;

import static io.synod.kg.WorldFixture.CHINA;
import static io.synod.kg.WorldFixture.IVORY_COAST;
import static io.synod.kg.WorldFixture.LOME;
import static io.synod.kg.WorldFixture.LOME_VILLAGE;
import static io.synod.kg.WorldFixture.NEW_YORK_CITY;
import static io.synod.kg.WorldFixture.PARIS;
import static io.synod.kg.WorldFixture.PARIS_TEXAS;
import static io.synod.kg.WorldFixture.TOGO;
import static org.assertj.core.api.Assertions.assertThat;

import io.synod.kg.KnowledgeGraph.Candidate;
import io.synod.kg.KnowledgeGraph.Entity;
import io.synod.kg.KnowledgeGraph.Mention;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntityLinkingTest {

    @TempDir
    static Path directory;

    static KnowledgeGraph graph;

    @BeforeAll
    static void load() throws IOException {
        graph = WorldFixture.load(directory);
    }

    @AfterAll
    static void close() {
        graph.close();
    }

    private static List<String> ids(List<Candidate> candidates) {
        return candidates.stream().map(candidate -> candidate.entity().id()).toList();
    }

    @Test
    void findIgnoresCaseAndAccents() {
        List<Candidate> candidates = graph.find("LOME", 5);

        assertThat(candidates).isNotEmpty();
        assertThat(candidates.get(0).entity().label()).isEqualTo("Lomé");
        assertThat(candidates.get(0).exact()).isTrue();
        assertThat(candidates.get(0).score()).isEqualTo(1.0);
    }

    @Test
    void findPutsTheMoreProminentNamesakeFirst() {
        assertThat(ids(graph.find("Lome", 2))).containsExactly(LOME, LOME_VILLAGE);
        assertThat(ids(graph.find("Paris", 2))).containsExactly(PARIS, PARIS_TEXAS);
    }

    @Test
    void findPrefersTheCountryToASynsetOfTheSameName() {
        assertThat(graph.find("china", 1).get(0).entity().id()).isEqualTo(CHINA);
    }

    @Test
    void findTreatsStraightAndCurlyApostrophesAndMissingAccentsAlike() {
        assertThat(graph.find("cote d'ivoire", 1).get(0).entity().id()).isEqualTo(IVORY_COAST);
        assertThat(graph.find("Côte d’Ivoire", 1).get(0).entity().id()).isEqualTo(IVORY_COAST);
        assertThat(graph.find("Cote-d-Ivoire", 1).get(0).entity().id()).isEqualTo(IVORY_COAST);
    }

    @Test
    void findMatchesAnAliasAndReportsIt() {
        Candidate candidate = graph.find("ivory coast", 1).get(0);

        assertThat(candidate.entity().id()).isEqualTo(IVORY_COAST);
        assertThat(candidate.matchedLabel()).isEqualTo("Ivory Coast");
        assertThat(candidate.entity().label()).isEqualTo("Côte d'Ivoire");
    }

    @Test
    void findToleratesATypoWithAFuzzyScoreBelowOne() {
        Candidate candidate = graph.find("Yamousoukro", 3).get(0);

        assertThat(candidate.entity().label()).isEqualTo("Yamoussoukro");
        assertThat(candidate.exact()).isFalse();
        assertThat(candidate.score()).isBetween(0.5, 0.99);
    }

    @Test
    void findToleratesSwappedLettersInAShortName() {
        assertThat(graph.find("Tgoo", 3)).extracting(candidate -> candidate.entity().id()).first().isEqualTo(TOGO);
    }

    @Test
    void findMatchesTheStartOfALongerName() {
        Candidate candidate = graph.find("new york", 3).get(0);

        assertThat(candidate.entity().id()).isEqualTo(NEW_YORK_CITY);
        assertThat(candidate.exact()).isFalse();
    }

    @Test
    void findListsExactMatchesBeforeFuzzyOnes() {
        List<Candidate> candidates = graph.find("York", 5);

        assertThat(candidates.get(0).entity().label()).isEqualTo("York");
        assertThat(candidates.get(0).exact()).isTrue();
        assertThat(candidates.subList(1, candidates.size())).allMatch(candidate -> !candidate.exact() && candidate.score() < 1.0);
    }

    @Test
    void findReturnsNothingForTextWithoutLettersOrDigits() {
        assertThat(graph.find(" -- ", 5)).isEmpty();
    }

    @Test
    void relationNodesAreNotLinkedByText() {
        assertThat(graph.find("currency", 5)).extracting(candidate -> candidate.entity().id())
                .doesNotContain("http://synod.io/world/rel/currency");
    }

    @Test
    void entityCarriesLabelAliasesAndTypeLabels() {
        Entity togo = graph.entity(TOGO).orElseThrow();

        assertThat(togo.label()).isEqualTo("Togo");
        assertThat(togo.aliases()).containsExactly("Togolese Republic");
        assertThat(togo.types()).containsExactly("Country");
    }

    @Test
    void entityOfAnUnknownIdIsEmpty() {
        assertThat(graph.entity("http://synod.io/world/country/XXX")).isEmpty();
    }

    @Test
    void resolveTakesAnIdOrText() {
        assertThat(graph.resolve(TOGO).orElseThrow().label()).isEqualTo("Togo");
        assertThat(graph.resolve("<" + TOGO + ">").orElseThrow().label()).isEqualTo("Togo");
        assertThat(graph.resolve("togo").orElseThrow().id()).isEqualTo(TOGO);
    }

    @Test
    void mentionsPreferTheLongestLabelAndDoNotOverlap() {
        String sentence = "the capital of Côte d'Ivoire and New York City";

        List<Mention> mentions = graph.mentions(sentence);

        assertThat(mentions).extracting(Mention::text).containsExactly("Côte d'Ivoire", "New York City");
        Mention first = mentions.get(0);
        assertThat(sentence.substring(first.start(), first.end())).isEqualTo("Côte d'Ivoire");
        assertThat(first.candidates().get(0).entity().id()).isEqualTo(IVORY_COAST);
    }

    @Test
    void mentionsFindLabelsWhateverTheirCaseAccentsAndPunctuation() {
        List<Mention> mentions = graph.mentions("Which currency is used in cote d’ivoire and in Togo's capital, LOME?");

        assertThat(mentions).extracting(Mention::text).containsExactly("currency", "cote d’ivoire", "Togo", "LOME");
        assertThat(mentions.get(0).candidates().get(0).entity().label()).isEqualTo("Currency");
        assertThat(mentions.get(3).candidates()).extracting(candidate -> candidate.entity().id())
                .containsExactly(LOME, LOME_VILLAGE);
    }

    @Test
    void mentionsSkipStopwordsAndSingleLetters() {
        assertThat(graph.mentions("What is the name of it, a or s?")).isEmpty();
    }
}
