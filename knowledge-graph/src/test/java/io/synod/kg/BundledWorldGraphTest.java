// The bundled world graph, loaded once for the class: linking, relation paths and mentions on real data.
package io.synod.kg;

import static org.assertj.core.api.Assertions.assertThat;

import io.synod.kg.KnowledgeGraph.Candidate;
import io.synod.kg.KnowledgeGraph.Mention;
import io.synod.kg.KnowledgeGraph.Node;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BundledWorldGraphTest {

    private static final String WORLD = "http://synod.io/world/";
    private static final String LOME = WORLD + "city/2365267";
    private static final String TOGO = WORLD + "country/TGO";
    private static final String IVORY_COAST = WORLD + "country/CIV";
    private static final String XOF = WORLD + "currency/XOF";

    private static KnowledgeGraph world;

    @BeforeAll
    static void loadOnce() {
        world = KnowledgeGraph.bundled();
    }

    @AfterAll
    static void close() {
        world.close();
    }

    @Test
    void holdsCountriesCitiesAndSynsets() {
        assertThat(world.stats().triples()).isGreaterThan(500_000);
        assertThat(world.stats().storage()).isEqualTo("memory");
        assertThat(world.relations()).extracting(KnowledgeGraph.Relation::name)
                .contains("capital", "currency", "borders", "country", "population", "hypernym");
    }

    @Test
    void findLomeListsTheCapitalOfTogoFirst() {
        Candidate first = world.find("Lome", 5).get(0);

        assertThat(first.entity().id()).isEqualTo(LOME);
        assertThat(first.entity().label()).isEqualTo("Lomé");
        assertThat(first.exact()).isTrue();
        assertThat(world.follow(LOME, List.of("country"))).extracting(Node::id).containsExactly(TOGO);
    }

    @Test
    void findPrefersTheFrenchCapitalAndTheCountryChina() {
        String paris = world.find("Paris", 1).get(0).entity().id();

        assertThat(world.follow(paris, List.of("capital-of"))).extracting(Node::id).containsExactly(WORLD + "country/FRA");
        assertThat(world.find("China", 1).get(0).entity().id()).isEqualTo(WORLD + "country/CHN");
    }

    @Test
    void findCoteDIvoireWithoutItsAccent() {
        assertThat(world.find("Cote d'Ivoire", 1).get(0).entity().id()).isEqualTo(IVORY_COAST);
        assertThat(world.find("côte d’ivoire", 1).get(0).entity().id()).isEqualTo(IVORY_COAST);
    }

    @Test
    void togosCurrencyIsTheWestAfricanCfaFranc() {
        assertThat(world.follow(TOGO, List.of("currency")))
                .extracting(Node::id, Node::label)
                .containsExactly(Tuple.tuple(XOF, "West African CFA franc"));
    }

    @Test
    void theCurrencyOfTheCountryWhoseCapitalIsLomeIsTheSame() {
        assertThat(world.follow(LOME, List.of("capital-of", "currency"))).extracting(Node::id).containsExactly(XOF);
        assertThat(world.follow(LOME, List.of("^capital", "currency"))).extracting(Node::id).containsExactly(XOF);
    }

    @Test
    void mentionsInARealQuestionLinkTheCityAndTheCountry() {
        List<Mention> mentions = world.mentions("Which currency is used in the country whose capital is Lomé, and does it border Côte d'Ivoire?");

        assertThat(mentions).extracting(Mention::text).contains("Lomé", "Côte d'Ivoire");
        assertThat(topCandidate(mentions, "Lomé")).isEqualTo(LOME);
        assertThat(topCandidate(mentions, "Côte d'Ivoire")).isEqualTo(IVORY_COAST);
    }

    @Test
    void mentionsInQuestionsOfTheBundledQuestionSetLinkTheirTopic() {
        // Verbatim from questions/dev.jsonl (families city-currency and capital).
        List<Mention> city = world.mentions("What currency is used in the country where Yamunānagar is located?");
        List<Mention> country = world.mentions("Name the capital city of DR Congo.");

        assertThat(topCandidate(city, "Yamunānagar")).isEqualTo(WORLD + "city/1252797");
        assertThat(topCandidate(country, "DR Congo")).isEqualTo(WORLD + "country/COD");
    }

    private static String topCandidate(List<Mention> mentions, String text) {
        return mentions.stream().filter(mention -> mention.text().equals(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no mention '" + text + "' in " + mentions))
                .candidates().get(0).entity().id();
    }

    @Test
    void pathsConnectNeighbouringCountriesDirectly() {
        assertThat(world.paths(TOGO, WORLD + "country/GHA", 2, 3).get(0).steps()).hasSize(1);
    }
}
