package io.synod.solvers.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import io.synod.kg.KnowledgeGraph;
import io.synod.kg.KnowledgeGraph.Node;
import io.synod.solvers.knowledge.WalkGraph.StartCandidate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WalkGraphTest {

    private static final String TOGO = "http://synod.io/world/country/TGO";
    private static KnowledgeGraph world;
    private static WalkGraph graph;

    @BeforeAll
    static void load() {
        world = KnowledgeGraph.bundled();
        graph = new WalkGraph(world);
    }

    @AfterAll
    static void close() {
        world.close();
    }

    @Test
    void aCountryOffersItsRelationsAndTheirInversesButNoBookkeeping() {
        List<String> options = graph.options(List.of(TOGO));
        assertThat(options).contains("capital", "currency", "language", "borders", "country-of")
                .doesNotContain("type", "gloss", "borders-of");
        assertThat(options).isSorted();
    }

    @Test
    void anIslandLacksTheBordersItsKindUsuallyHasAndACountryWithBordersLacksNothing() {
        assertThat(graph.options(List.of("http://synod.io/world/country/ISL"))).doesNotContain("borders");
        assertThat(graph.missingUsualOptions(List.of("http://synod.io/world/country/ISL"))).containsExactly("borders");
        assertThat(graph.missingUsualOptions(List.of(TOGO))).isEmpty();
        // a set of entities of different kinds has no usual relations
        String lome = graph.step(List.of(TOGO), "capital").get(0).id();
        assertThat(graph.missingUsualOptions(List.of("http://synod.io/world/country/ISL", lome))).isEmpty();
    }

    @Test
    void anIndividualLearnsItsUsualRelationsFromIndividualsAndACommonNounFromCommonNouns() {
        // the top of WordNet lacks the hypernym common nouns have; Attila, an instance, lacks none
        String entity = graph.nameCandidates("entity", 1).get(0).entity().id();
        assertThat(graph.options(List.of(entity))).doesNotContain("hypernym");
        assertThat(graph.missingUsualOptions(List.of(entity))).contains("hypernym");
        String attila = graph.nameCandidates("Attila", 1).get(0).entity().id();
        assertThat(graph.options(List.of(attila))).contains("instance-hypernym").doesNotContain("hypernym");
        assertThat(graph.missingUsualOptions(List.of(attila))).doesNotContain("hypernym");
        // a common noun and an individual are of different kinds: nothing is usual to both
        assertThat(graph.missingUsualOptions(List.of(entity, attila))).isEmpty();
    }

    @Test
    void aNounsOwnNameIsOneNameButAnOtherNameOfANounOffersTheNamesInsideIt() {
        // "Pandora's box" is the label of a WordNet noun: "Pandora" (a city) is not offered inside it
        assertThat(graph.names("What kind of thing is Pandora's box?")).contains("Pandora's box").doesNotContain("Pandora");
        // "capital of Ghana" is another name of the noun Accra: Ghana, the country, is offered inside it
        assertThat(graph.names("What is the capital of Ghana?")).contains("Ghana");
    }

    @Test
    void aQuestionWithAProperNameOffersNoCommonWordsButAQuestionAboutANounDoes() {
        assertThat(graph.names("With what currency would you pay in the country of Togo?"))
                .contains("Togo").doesNotContain("pay", "currency", "country");
        assertThat(graph.names("A killdeer is a kind of X; what is X a kind of?")).contains("killdeer");
        assertThat(graph.names("What is the hypernym of \"encore\" in Togo?")).contains("encore", "Togo");
    }

    @Test
    void aSentenceStartingWithACommonWordOffersItNotWhenTheQuestionNamesAPlace() {
        // "Count" is capitalised only because it starts the sentence: every sense of it is a lower-case noun
        assertThat(graph.names("Count the official languages of Czechia.")).contains("Czechia").doesNotContain("Count");
        // a country starting the sentence stays a name
        assertThat(graph.names("Germany or France: which is larger?")).contains("Germany", "France");
    }

    @Test
    void wordsWrittenInLowerCaseWhereTheNameHasCapitalsAreNotThatName() {
        // "the City" (of London) is no mention in "The city of Indore"
        assertThat(graph.names("The city of Indore is in a country; on what continent is that country?"))
                .containsExactly("Indore");
        // a question all in lower case still names what it asks about
        assertThat(graph.names("what is the capital of ghana")).contains("ghana");
    }

    @Test
    void aCountryOrCityIsTheWordNetIndividualOfItsNameAndKind() {
        String ethiopia = "http://synod.io/world/country/ETH";
        assertThat(graph.individual(ethiopia)).hasValueSatisfying(noun -> assertThat(noun).contains("/synset/"));
        assertThat(graph.options(List.of(ethiopia))).contains("instance-hypernym", "capital");
        assertThat(graph.step(List.of(ethiopia), "instance-hypernym")).extracting(Node::label).containsExactly("African country");
        String kyoto = graph.nameCandidates("Kyoto", 1).get(0).entity().id();
        assertThat(graph.step(List.of(kyoto), "instance-hypernym")).extracting(Node::label).containsExactly("city");
        // Meridian's first WordNet sense is the circle of longitude; the town is found among the others
        String meridian = graph.nameCandidates("Meridian", 1).get(0).entity().id();
        assertThat(graph.step(List.of(meridian), "instance-hypernym")).extracting(Node::label).containsExactly("town");
        // a city named after a person is not that person: Fremont, the explorer, is no city
        String fremont = graph.nameCandidates("Fremont", 1).get(0).entity().id();
        assertThat(graph.individual(fremont)).isEmpty();
        assertThat(graph.options(List.of(fremont))).doesNotContain("instance-hypernym");
        assertThat(graph.individual(TOGO.replace("TGO", "XXX"))).isEmpty();
    }

    @Test
    void aNameAskedAboutWithARelationLinksToTheMostProminentSenseThatHasIt() {
        // the most prominent San José is a city in the United States; the capital is Costa Rica's
        assertThat(graph.linkFor("San José", null)).get().extracting(StartCandidate::option)
                .isEqualTo("San Jose [city in United States]");
        assertThat(graph.linkFor("San José", "capital-of")).get().extracting(StartCandidate::option)
                .isEqualTo("San José [city in Costa Rica]");
        // Fremont the city has no instance-hypernym; Fremont the explorer has
        assertThat(graph.linkFor("Fremont", "instance-hypernym")).get()
                .satisfies(sense -> assertThat(graph.step(List.of(sense.entity().id()), "instance-hypernym"))
                        .extracting(Node::label).contains("explorer"));
        // no sense of an island has borders: the most prominent one, the country (whose kind usually has them)
        assertThat(graph.linkFor("Iceland", "borders")).get().extracting(StartCandidate::option).isEqualTo("Iceland [country]");
        // no sense has the relation: the most prominent one (Togo the noun is an instance, with no hypernym)
        assertThat(graph.linkFor("Togo", "hypernym")).get().extracting(StartCandidate::option).isEqualTo("Togo [country]");
    }

    @Test
    void followingAnInverseRelationReachesTheCountryOfACapital() {
        List<Node> capital = graph.step(List.of(TOGO), "capital");
        assertThat(capital).extracting(Node::label).containsExactly("Lomé");
        assertThat(graph.step(List.of(capital.get(0).id()), "capital-of")).extracting(Node::id).containsExactly(TOGO);
    }

    @Test
    void booleanLiteralsAnswerYesOrNo() {
        Node landlocked = graph.step(List.of(TOGO), "landlocked").get(0);
        assertThat(graph.value(landlocked).text()).isEqualTo("no");
    }

    @Test
    void aCityIsDescribedWithItsCountry() {
        String lome = graph.step(List.of(TOGO), "capital").get(0).id();
        assertThat(graph.kind(lome)).isEqualTo("city in Togo");
        assertThat(graph.kind(TOGO)).isEqualTo("country");
    }

    @Test
    void startCandidatesIncludeTheNamedCountryAndNoClasses() {
        List<StartCandidate> candidates = graph.startCandidates("Which currency does the country of Lomé use?");
        assertThat(candidates).extracting(StartCandidate::option).contains("Lomé [city in Togo]");
        assertThat(candidates).noneMatch(c -> c.entity().id().contains("/class/"));
        assertThat(candidates).extracting(StartCandidate::option).doesNotHaveDuplicates();
    }

    @Test
    void theWalkPromptShowsWhereTheWalkStandsAndItsOptions() {
        String prompt = WalkPrompt.prompt("Which currency does Togo use?", List.of("Togo"), "country", List.of(),
                List.of("capital", "currency", WalkPrompt.ANSWER));
        assertThat(prompt).isEqualTo("""
                Question: Which currency does Togo use?
                At: Togo [country]
                Path: start
                Options: capital | currency | answer
                Next:""");
        assertThat(WalkPrompt.continuation("currency")).isEqualTo(" currency\n");
    }
}
