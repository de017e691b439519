// Edges, relation summaries, the relation inventory, relation paths and path search on a small world graph.
package io.synod.kg;

import static io.synod.kg.WorldFixture.ACCRA;
import static io.synod.kg.WorldFixture.GHANA;
import static io.synod.kg.WorldFixture.IVORY_COAST;
import static io.synod.kg.WorldFixture.LOME;
import static io.synod.kg.WorldFixture.TOGO;
import static io.synod.kg.WorldFixture.XOF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synod.kg.KnowledgeGraph.Direction;
import io.synod.kg.KnowledgeGraph.Edge;
import io.synod.kg.KnowledgeGraph.GraphPath;
import io.synod.kg.KnowledgeGraph.Node;
import io.synod.kg.KnowledgeGraph.PathStep;
import io.synod.kg.KnowledgeGraph.Relation;
import io.synod.kg.KnowledgeGraph.RelationSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NeighbourhoodTest {

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

    private static String render(Edge edge) {
        return edge.relation().name() + " " + edge.other().label();
    }

    @Test
    void outEdgesNameRelationsAndNeighboursByLabelAndLeaveLabelsOut() {
        List<Edge> edges = graph.outEdges(LOME);

        assertThat(edges).extracting(NeighbourhoodTest::render)
                .containsExactly("country Togo", "population 837437", "type City");
        assertThat(edges).allMatch(edge -> edge.direction() == Direction.OUT);
        assertThat(edges.get(1).other().literal()).isTrue();
        assertThat(edges.get(0).other().id()).isEqualTo(TOGO);
    }

    @Test
    void inEdgesListTheSubjectsPointingAtTheEntity() {
        List<Edge> edges = graph.inEdges(TOGO);

        assertThat(edges).extracting(NeighbourhoodTest::render).containsExactly("borders Ghana", "country Lomé");
        assertThat(edges).allMatch(edge -> edge.direction() == Direction.IN);
    }

    @Test
    void relationsOfCountEdgesPerRelationAndDirection() {
        List<RelationSummary> summaries = graph.relationsOf(GHANA);

        assertThat(summaries).extracting(summary -> summary.direction() + " " + summary.relation().name() + " " + summary.count())
                .containsExactly("OUT borders 2", "OUT capital 1", "OUT type 1", "IN borders 2", "IN country 1");
    }

    @Test
    void relationInventoryCarriesLabelsDescriptionsAndCounts() {
        Relation capital = graph.relations().stream().filter(relation -> relation.name().equals("capital")).findFirst().orElseThrow();

        assertThat(capital.id()).isEqualTo("http://synod.io/world/rel/capital");
        assertThat(capital.label()).isEqualTo("capital");
        assertThat(capital.description()).isEqualTo("capital: the capital city of a country (country -> city)");
        assertThat(capital.triples()).isEqualTo(4);
    }

    @Test
    void relationInventoryFallsBackToTheNameAndLeavesLabelAttributesOut() {
        assertThat(graph.relations()).extracting(Relation::name)
                .contains("type", "gloss", "comment")
                .doesNotContain("label", "altLabel");
        Relation gloss = graph.relations().stream().filter(relation -> relation.name().equals("gloss")).findFirst().orElseThrow();
        assertThat(gloss.label()).isEqualTo("gloss");
        assertThat(gloss.description()).isEqualTo("gloss");
    }

    @Test
    void followWalksRelationsForward() {
        assertThat(graph.follow(TOGO, List.of("currency"))).extracting(Node::label).containsExactly("West African CFA franc");
    }

    @Test
    void followWalksBackwardsWithOfAndCaret() {
        assertThat(graph.follow(LOME, List.of("capital-of", "currency"))).extracting(Node::id).containsExactly(XOF);
        assertThat(graph.follow(LOME, List.of("^capital", "currency"))).extracting(Node::id).containsExactly(XOF);
    }

    @Test
    void followSortsTheNodesItReachesByLabel() {
        Set<Node> countries = graph.follow(XOF, List.of("currency-of"));

        assertThat(countries).extracting(Node::label).containsExactly("Côte d'Ivoire", "Togo");
    }

    @Test
    void followReachesLiterals() {
        assertThat(graph.follow(TOGO, List.of("capital", "population")))
                .containsExactly(new Node("837437", "837437", true));
    }

    @Test
    void followRejectsAnUnknownRelationAndListsTheKnownOnes() {
        assertThatThrownBy(() -> graph.follow(TOGO, List.of("capital", "mayor")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'mayor'")
                .hasMessageContaining("capital, comment, country, currency");
    }

    @Test
    void pathsFindTheDirectEdgeFirst() {
        List<GraphPath> paths = graph.paths(TOGO, GHANA, 3, 5);

        PathStep first = paths.get(0).steps().get(0);
        assertThat(paths.get(0).steps()).hasSize(1);
        assertThat(first.relation().name()).isEqualTo("borders");
        assertThat(paths).extracting(path -> path.steps().size()).isSorted();
    }

    @Test
    void pathsFollowEdgesBackwardsAndReportTheirDirection() {
        List<GraphPath> paths = graph.paths(LOME, ACCRA, 3, 20);

        List<String> rendered = paths.stream().map(NeighbourhoodTest::render).toList();
        assertThat(rendered.get(0)).isEqualTo("Lomé -type-> City <-type- Accra");
        assertThat(rendered).contains("Lomé -country-> Togo -borders-> Ghana -capital-> Accra",
                "Lomé -country-> Togo <-borders- Ghana -capital-> Accra");
    }

    @Test
    void pathsThroughAClassComeAfterEquallyShortOnes() {
        List<String> rendered = graph.paths(TOGO, IVORY_COAST, 2, 10).stream().map(NeighbourhoodTest::render).toList();

        assertThat(rendered).containsExactlyInAnyOrder(
                "Togo -borders-> Ghana -borders-> Côte d'Ivoire",
                "Togo -borders-> Ghana <-borders- Côte d'Ivoire",
                "Togo <-borders- Ghana -borders-> Côte d'Ivoire",
                "Togo <-borders- Ghana <-borders- Côte d'Ivoire",
                "Togo -currency-> West African CFA franc <-currency- Côte d'Ivoire",
                "Togo -type-> Country <-type- Côte d'Ivoire");
        assertThat(rendered.get(rendered.size() - 1)).isEqualTo("Togo -type-> Country <-type- Côte d'Ivoire");
    }

    private static String render(GraphPath path) {
        StringBuilder line = new StringBuilder(path.steps().get(0).from().label());
        for (PathStep step : path.steps()) {
            String name = step.relation().name();
            line.append(step.direction() == Direction.OUT ? " -" + name + "-> " : " <-" + name + "- ").append(step.to().label());
        }
        return line.toString();
    }

    @Test
    void pathsRespectTheHopLimit() {
        assertThat(graph.paths(LOME, IVORY_COAST, 2, 5)).isEmpty();
        assertThat(graph.paths(LOME, IVORY_COAST, 3, 5)).isNotEmpty();
    }
}
