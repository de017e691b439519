// TDB2 storage: load once, reopen without the sources, fail without leaving a half-made store.
package io.synod.kg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synod.kg.KnowledgeGraph.Node;
import io.synod.kg.store.Tdb2Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Tdb2StoreTest {

    @TempDir
    Path directory;

    private Path store() {
        return directory.resolve("store");
    }

    private KnowledgeGraph loadFixtureIntoStore() throws IOException {
        return KnowledgeGraph.builder().addSource(WorldFixture.turtle(directory)).optTdb2Directory(store()).build();
    }

    @Test
    void loadsIntoTdb2AndAnswersLikeMemory() throws IOException {
        try (KnowledgeGraph graph = loadFixtureIntoStore()) {
            assertThat(graph.stats().storage()).isEqualTo("tdb2:" + store());
            assertThat(graph.follow(WorldFixture.LOME, List.of("capital-of", "currency"))).extracting(Node::label)
                    .containsExactly("West African CFA franc");
            assertThat(graph.find("cote d'ivoire", 1).get(0).entity().id()).isEqualTo(WorldFixture.IVORY_COAST);
            assertThat(graph.sparql("ASK { ?c <http://synod.io/world/rel/capital> ?city }").askAnswer()).isTrue();
        }
        assertThat(store().resolve(Tdb2Store.MARKER_FILE)).isRegularFile();
    }

    @Test
    void reopensWithoutTheSourceFile() throws IOException {
        long triples;
        try (KnowledgeGraph graph = loadFixtureIntoStore()) {
            triples = graph.stats().triples();
        }
        Files.delete(directory.resolve("world.ttl"));

        try (KnowledgeGraph reopened = KnowledgeGraph.open(store())) {
            assertThat(reopened.stats().triples()).isEqualTo(triples);
            assertThat(reopened.find("Lome", 1).get(0).entity().id()).isEqualTo(WorldFixture.LOME);
            assertThat(reopened.outEdges(WorldFixture.TOGO)).isNotEmpty();
        }
    }

    @Test
    void builderOnAnExistingStoreDoesNotReloadItsSources() throws IOException {
        loadFixtureIntoStore().close();
        Path changed = WorldFixture.write(directory, "world.ttl",
                "<http://synod.io/world/country/TGO> <http://www.w3.org/2000/01/rdf-schema#label> \"Changed\" .\n");

        try (KnowledgeGraph graph = KnowledgeGraph.builder().addSource(changed).optTdb2Directory(store()).build()) {
            assertThat(graph.entity(WorldFixture.TOGO).orElseThrow().label()).isEqualTo("Togo");
            assertThat(graph.find("Changed", 5)).noneMatch(KnowledgeGraph.Candidate::exact);
        }
    }

    @Test
    void reopenRebuildsAMissingIndexFile() throws IOException {
        loadFixtureIntoStore().close();
        Files.delete(store().resolve(Tdb2Store.INDEX_FILE));

        try (KnowledgeGraph graph = KnowledgeGraph.open(store())) {
            assertThat(graph.find("Lome", 1).get(0).entity().id()).isEqualTo(WorldFixture.LOME);
        }
        assertThat(store().resolve(Tdb2Store.INDEX_FILE)).isRegularFile();
    }

    @Test
    void aFailedLoadLeavesNoMarkerAndTheNextLoadWorks() throws IOException {
        Path good = WorldFixture.turtle(directory);
        Path bad = WorldFixture.write(directory, "bad.ttl", "<http://synod.io/a> <http://synod.io/p> .\n");

        assertThatThrownBy(() -> KnowledgeGraph.builder().addSource(good).addSource(bad).optTdb2Directory(store()).build())
                .isInstanceOf(GraphLoadException.class)
                .hasMessageContaining("bad.ttl: line 1");
        assertThat(store().resolve(Tdb2Store.MARKER_FILE)).doesNotExist();
        assertThatThrownBy(() -> KnowledgeGraph.open(store()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a Synod TDB2 store");

        try (KnowledgeGraph graph = KnowledgeGraph.builder().addSource(good).optTdb2Directory(store()).build()) {
            assertThat(graph.find("Togo", 1)).isNotEmpty();
            assertThat(graph.sparql("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").rows().get(0).get(0))
                    .isEqualTo(Long.toString(graph.stats().triples()));
        }
    }

    @Test
    void openRefusesADirectoryThatIsNotASynodStore() throws IOException {
        Path plain = Files.createDirectories(directory.resolve("plain"));

        assertThatThrownBy(() -> KnowledgeGraph.open(plain))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a Synod TDB2 store");
    }

    @Test
    void loadingRefusesANonEmptyDirectoryThatIsNotTdb2() throws IOException {
        Path occupied = Files.createDirectories(directory.resolve("occupied"));
        Files.writeString(occupied.resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> KnowledgeGraph.builder().addSource(WorldFixture.turtle(directory))
                .optTdb2Directory(occupied).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not empty and not a TDB2 database");
        assertThat(occupied.resolve("notes.txt")).hasContent("mine");
    }
}
