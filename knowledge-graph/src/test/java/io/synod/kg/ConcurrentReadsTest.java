// Many threads reading one graph at once, in memory and on TDB2, get the answers a single thread gets.
package io.synod.kg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentReadsTest {

    @TempDir
    Path directory;

    private static String answers(KnowledgeGraph graph) {
        return graph.find("Lome", 3) + "|" + graph.find("Yamousoukro", 3) + "|" + graph.mentions("Is Lomé in Côte d'Ivoire?")
                + "|" + graph.outEdges(WorldFixture.TOGO) + "|" + graph.inEdges(WorldFixture.GHANA)
                + "|" + graph.follow(WorldFixture.LOME, List.of("capital-of", "currency"))
                + "|" + graph.paths(WorldFixture.LOME, WorldFixture.ACCRA, 3, 5);
    }

    private static void assertSameAnswersFromEightThreads(KnowledgeGraph graph) throws Exception {
        String expected = answers(graph);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> answers(graph)));
            }
            for (Future<String> result : results) {
                assertThat(result.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentReadersOfTheInMemoryGraphAgree() throws Exception {
        try (KnowledgeGraph graph = WorldFixture.load(directory)) {
            assertSameAnswersFromEightThreads(graph);
        }
    }

    @Test
    void concurrentReadersOfATdb2StoreAgree() throws Exception {
        try (KnowledgeGraph graph = KnowledgeGraph.builder().addSource(WorldFixture.turtle(directory))
                .optTdb2Directory(directory.resolve("store")).build()) {
            assertSameAnswersFromEightThreads(graph);
        }
    }
}
