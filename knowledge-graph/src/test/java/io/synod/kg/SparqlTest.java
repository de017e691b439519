// SPARQL over the graph: SELECT, ASK, CONSTRUCT and syntax errors.
package io.synod.kg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synod.kg.KnowledgeGraph.SparqlResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparqlTest {

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

    @Test
    void selectReturnsColumnsAndRowsOfStrings() {
        SparqlResult result = graph.sparql("""
                PREFIX rel: <http://synod.io/world/rel/>
                PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
                SELECT ?country ?name WHERE { ?country rel:currency <http://synod.io/world/currency/XOF> ; rdfs:label ?name }
                ORDER BY ?name
                """);

        assertThat(result.columns()).containsExactly("country", "name");
        assertThat(result.rows()).containsExactly(
                List.of(WorldFixture.IVORY_COAST, "Côte d'Ivoire"),
                List.of(WorldFixture.TOGO, "Togo"));
        assertThat(result.askAnswer()).isNull();
    }

    @Test
    void selectWritesAnUnboundValueAsEmpty() {
        SparqlResult result = graph.sparql("""
                SELECT ?alias WHERE {
                  OPTIONAL { <http://synod.io/world/country/GHA> <http://www.w3.org/2004/02/skos/core#altLabel> ?alias }
                }""");

        assertThat(result.rows()).containsExactly(List.of(""));
    }

    @Test
    void askAnswersYesOrNo() {
        assertThat(graph.sparql("ASK { <http://synod.io/world/country/TGO> <http://synod.io/world/rel/borders> <http://synod.io/world/country/GHA> }")
                .askAnswer()).isTrue();
        assertThat(graph.sparql("ASK { <http://synod.io/world/country/TGO> <http://synod.io/world/rel/borders> <http://synod.io/world/country/FRA> }")
                .askAnswer()).isFalse();
    }

    @Test
    void constructReturnsTriplesAsRows() {
        SparqlResult result = graph.sparql("""
                CONSTRUCT { ?city <http://synod.io/world/rel/capital-of> ?country }
                WHERE { ?country <http://synod.io/world/rel/capital> ?city . FILTER(?country = <http://synod.io/world/country/TGO>) }
                """);

        assertThat(result.columns()).containsExactly("subject", "predicate", "object");
        assertThat(result.rows()).containsExactly(
                List.of(WorldFixture.LOME, "http://synod.io/world/rel/capital-of", WorldFixture.TOGO));
    }

    @Test
    void aSyntaxErrorNamesLineAndColumn() {
        assertThatThrownBy(() -> graph.sparql("SELECT ?x WHERE {\n  ?x ?y \n}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("SPARQL syntax error: ")
                .hasMessageContaining("at line 3, column 1")
                .hasMessageContaining("Was expecting one of: <IRIref>");
    }
}
