// Loading Turtle, N-Triples and TSV (plain or gzipped) in memory, and failing cleanly on malformed input.
package io.synod.kg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synod.kg.KnowledgeGraph.Node;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadingTest {

    private static final String NTRIPLES = """
            <http://synod.io/world/country/TGO> <http://www.w3.org/2000/01/rdf-schema#label> "Togo" .
            <http://synod.io/world/country/TGO> <http://synod.io/world/rel/capital> <http://synod.io/world/city/2365267> .
            <http://synod.io/world/city/2365267> <http://www.w3.org/2000/01/rdf-schema#label> "Lom\\u00E9" .
            """;

    private static final String TSV = """
            # capitals and currencies
            Togo\tcapital\tLomé
            Togo\tcurrency\t<http://synod.io/world/currency/XOF>
            <http://synod.io/world/currency/XOF>\t<http://www.w3.org/2000/01/rdf-schema#label>\t"West African CFA franc"

            Lomé\tpopulation\t"837437"^^<http://www.w3.org/2001/XMLSchema#integer>
            """;

    @TempDir
    Path directory;

    @Test
    void builderWithoutSourcesFailsClearly() {
        assertThatThrownBy(() -> KnowledgeGraph.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no sources");
    }

    @Test
    void loadsTurtleInMemoryAndCountsWhatItHolds() throws IOException {
        try (KnowledgeGraph graph = WorldFixture.load(directory)) {
            KnowledgeGraph.Stats stats = graph.stats();

            assertThat(stats.storage()).isEqualTo("memory");
            assertThat(stats.triples()).isGreaterThan(80);
            assertThat(stats.entities()).isGreaterThan(20);
            assertThat(stats.relations()).isEqualTo(graph.relations().size());
            assertThat(stats.labels()).isGreaterThan(20);
            assertThat(stats.loadTime()).isPositive();
        }
    }

    @Test
    void loadsNTriples() throws IOException {
        Path file = WorldFixture.write(directory, "small.nt", NTRIPLES);

        try (KnowledgeGraph graph = KnowledgeGraph.open(file)) {
            assertThat(graph.follow("http://synod.io/world/country/TGO", List.of("capital")))
                    .extracting(Node::label).containsExactly("Lomé");
        }
    }

    @Test
    void loadsGzippedFiles() throws IOException {
        Path file = WorldFixture.writeGzipped(directory, "small.nt.gz", NTRIPLES);

        try (KnowledgeGraph graph = KnowledgeGraph.open(file)) {
            assertThat(graph.stats().triples()).isEqualTo(3);
        }
    }

    @Test
    void loadsSeveralSourcesIntoOneGraph() throws IOException {
        Path turtle = WorldFixture.turtle(directory);
        Path tsv = WorldFixture.write(directory, "extra.tsv", "<http://synod.io/world/country/TGO>\tmotto\t\"Travail, Liberté, Patrie\"\n");

        try (KnowledgeGraph graph = KnowledgeGraph.builder().addSource(turtle).addSource(tsv).build()) {
            assertThat(graph.follow(WorldFixture.TOGO, List.of("motto"))).extracting(Node::label)
                    .containsExactly("Travail, Liberté, Patrie");
            assertThat(graph.follow(WorldFixture.TOGO, List.of("capital"))).extracting(Node::label).containsExactly("Lomé");
        }
    }

    @Test
    void loadsTsvWithPlainNamesIrisAndLiterals() throws IOException {
        Path file = WorldFixture.write(directory, "small.tsv", TSV);

        try (KnowledgeGraph graph = KnowledgeGraph.open(file)) {
            String togo = graph.find("Togo", 1).get(0).entity().id();
            assertThat(togo).isEqualTo("http://synod.io/tsv/entity/Togo");
            assertThat(graph.follow(togo, List.of("capital"))).containsExactly(
                    new Node("http://synod.io/tsv/entity/Lom%C3%A9", "Lomé", false));
            assertThat(graph.follow(togo, List.of("currency"))).extracting(Node::label).containsExactly("West African CFA franc");
            assertThat(graph.follow(togo, List.of("capital", "population"))).extracting(Node::label).containsExactly("837437");
            assertThat(graph.relations()).extracting(KnowledgeGraph.Relation::id).contains("http://synod.io/tsv/rel/capital");
        }
    }

    @Test
    void rejectsAnUnknownExtension() {
        assertThatThrownBy(() -> KnowledgeGraph.builder().addSource(directory.resolve("graph.json")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("graph.json")
                .hasMessageContaining(".ttl")
                .hasMessageContaining(".tsv");
    }

    @Test
    void malformedTurtleFailsNamingFileLineAndExpectation() throws IOException {
        Path file = WorldFixture.write(directory, "bad.ttl", """
                @prefix rel: <http://synod.io/world/rel/> .
                <http://synod.io/world/country/TGO> rel:capital <http://synod.io/world/city/1> .
                <http://synod.io/world/country/GHA> rel:capital .
                """);

        assertThatThrownBy(() -> KnowledgeGraph.open(file))
                .isInstanceOf(GraphLoadException.class)
                .hasMessageStartingWith(file + ": line 3, column ")
                .satisfies(e -> assertThat(((GraphLoadException) e).line()).isEqualTo(3))
                .hasMessageContaining("expected an RDF Term");
    }

    @Test
    void malformedNTriplesFailsNamingFileLineAndExpectation() throws IOException {
        Path file = WorldFixture.write(directory, "bad.nt", """
                <http://synod.io/a> <http://synod.io/p> <http://synod.io/b> .
                <http://synod.io/a> <http://synod.io/p> <http://synod.io/c>
                """);

        assertThatThrownBy(() -> KnowledgeGraph.open(file))
                .isInstanceOf(GraphLoadException.class)
                .hasMessageStartingWith(file + ": line ")
                .hasMessageContaining("DOT");
    }

    @Test
    void malformedTsvFailsNamingFileLineAndTheThreeColumns() throws IOException {
        Path file = WorldFixture.write(directory, "bad.tsv", "Togo\tcapital\tLomé\n# fine so far\nGhana capital Accra\n");

        assertThatThrownBy(() -> KnowledgeGraph.open(file))
                .isInstanceOf(GraphLoadException.class)
                .hasMessageStartingWith(file + ": line 3")
                .hasMessageContaining("expected 3 tab-separated columns: subject, relation, object");
    }

    @Test
    void tsvRejectsALiteralSubjectAndAnUnclosedLiteral() throws IOException {
        Path literalSubject = WorldFixture.write(directory, "subject.tsv", "\"Togo\"\tcapital\tLomé\n");
        Path unclosed = WorldFixture.write(directory, "unclosed.tsv", "Togo\tmotto\t\"Travail\n");

        assertThatThrownBy(() -> KnowledgeGraph.open(literalSubject)).hasMessageContaining("line 1, column 1")
                .hasMessageContaining("only objects may be literals");
        assertThatThrownBy(() -> KnowledgeGraph.open(unclosed)).hasMessageContaining("line 1, column 12")
                .hasMessageContaining("expected a closing double quote");
    }

    @Test
    void aFailedLoadPublishesNothingAndTheNextLoadWorks() throws IOException {
        Path good = WorldFixture.turtle(directory);
        Path bad = WorldFixture.write(directory, "bad.tsv", "only one column\n");

        assertThatThrownBy(() -> KnowledgeGraph.builder().addSource(good).addSource(bad).build())
                .isInstanceOf(GraphLoadException.class)
                .hasMessageContaining("bad.tsv");
        try (KnowledgeGraph graph = KnowledgeGraph.builder().addSource(good).build()) {
            assertThat(graph.find("Togo", 1)).isNotEmpty();
        }
    }

    @Test
    void aCorruptGzipFileFailsNamingTheFile() throws IOException {
        Path file = WorldFixture.write(directory, "broken.ttl.gz", "not gzip at all");

        assertThatThrownBy(() -> KnowledgeGraph.open(file))
                .isInstanceOf(GraphLoadException.class)
                .hasMessageContaining("broken.ttl.gz")
                .hasMessageContaining("gzip");
    }

    @Test
    void aMissingSourceFileFailsNamingIt() {
        Path missing = directory.resolve("missing.ttl");

        assertThatThrownBy(() -> KnowledgeGraph.builder().addSource(missing).build())
                .isInstanceOf(GraphLoadException.class)
                .hasMessage(missing + ": no such file");
    }

    @Test
    void openRefusesAMissingPath() {
        assertThatThrownBy(() -> KnowledgeGraph.open(directory.resolve("nothing.ttl")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no such file");
    }
}
