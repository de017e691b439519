// Builds a KnowledgeGraph: parses sources into a fresh graph (memory or TDB2), indexes it, publishes it only on success.
package io.synod.kg;

import io.synod.kg.linking.LinkingIndex;
import io.synod.kg.load.GraphSource;
import io.synod.kg.load.PipelinedParser;
import io.synod.kg.store.IndexFile;
import io.synod.kg.store.MemoryStore;
import io.synod.kg.store.Tdb2Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.GraphMemFactory;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.util.iterator.ExtendedIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The loading paths. Each call is independent; nothing is shared between loads. */
final class GraphLoading {

    private static final Logger LOG = LoggerFactory.getLogger(GraphLoading.class);

    private GraphLoading() {
    }

    /** Parses every source into a new GraphMem2 graph; on any failure the graph is dropped. */
    static KnowledgeGraph loadInMemory(List<GraphSource> sources) {
        long started = System.nanoTime();
        Graph graph = GraphMemFactory.createGraphMem2();
        GraphIndexer indexer = new GraphIndexer();
        try {
            parseAll(sources, graph, indexer);
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
        long parsed = System.nanoTime();
        IndexFile.Content content = withTripleCount(indexer.finish(), graph.size());
        long collected = System.nanoTime();
        KnowledgeGraph knowledgeGraph = new KnowledgeGraph(new MemoryStore(graph), content, LinkingIndex.of(content.data()), started);
        LOG.debug("Load phases: parse {} ms, collect {} ms, index {} ms", (parsed - started) / 1_000_000,
                (collected - parsed) / 1_000_000, (System.nanoTime() - collected) / 1_000_000);
        LOG.info("Loaded {} triples from {} in memory in {} ms", content.triples(), names(sources),
                knowledgeGraph.stats().loadTime().toMillis());
        return knowledgeGraph;
    }

    /**
     * Opens the Synod store in {@code directory} if there is one (sources are then not read); otherwise
     * loads the sources into it in one write transaction, writes the index file, then the marker.
     */
    static KnowledgeGraph buildTdb2(Path directory, List<GraphSource> sources) {
        if (Tdb2Store.isSynodStore(directory)) {
            if (!sources.isEmpty()) {
                LOG.info("{} already holds a Synod store; opening it without reloading {}", directory, names(sources));
            }
            return openTdb2(directory);
        }
        if (sources.isEmpty()) {
            throw new IllegalStateException(directory + " is not a Synod TDB2 store yet and there are no sources to load into it");
        }
        long started = System.nanoTime();
        Tdb2Store store = Tdb2Store.openForLoading(directory);
        GraphIndexer indexer = new GraphIndexer();
        IndexFile.Content content;
        LinkingIndex index;
        try {
            long[] size = new long[1];
            store.write(() -> {
                Graph graph = store.graph();
                graph.clear(); // an earlier load that never wrote its marker starts over
                parseAll(sources, graph, indexer);
                size[0] = graph.size();
            });
            IndexFile.Content collected = withTripleCount(indexer.finish(), size[0]);
            index = LinkingIndex.of(collected.data());
            content = new IndexFile.Content(collected.triples(), collected.predicateCounts(), index.data());
            IndexFile.write(store.indexFile(), content);
            store.writeMarker(names(sources), content.triples());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        KnowledgeGraph knowledgeGraph = new KnowledgeGraph(store, content, index, started);
        LOG.info("Loaded {} triples from {} into TDB2 {} in {} ms", content.triples(), names(sources), directory,
                knowledgeGraph.stats().loadTime().toMillis());
        return knowledgeGraph;
    }

    /**
     * Opens an existing Synod store. Its persisted index is read and the look-up structures are built on a
     * helper thread while TDB2 starts up (the two take about as long); without an index file, one scan of
     * the store rebuilds it and writes it back.
     */
    static KnowledgeGraph openTdb2(Path directory) {
        long started = System.nanoTime();
        Tdb2Store.requireSynodStore(directory);
        FutureTask<Optional<PreparedIndex>> preparing = new FutureTask<>(() -> IndexFile.read(directory.resolve(Tdb2Store.INDEX_FILE))
                .map(content -> new PreparedIndex(content, LinkingIndex.of(content.data()))));
        Thread helper = new Thread(preparing, "synod-kg-index");
        helper.setDaemon(true);
        helper.start();
        Tdb2Store store = Tdb2Store.openExisting(directory);
        try {
            PreparedIndex prepared = awaitIndex(preparing, directory).orElseGet(() -> rebuildIndex(store));
            KnowledgeGraph knowledgeGraph = new KnowledgeGraph(store, prepared.content(), prepared.index(), started);
            LOG.info("Opened TDB2 store {} ({} triples) in {} ms", directory, prepared.content().triples(),
                    knowledgeGraph.stats().loadTime().toMillis());
            return knowledgeGraph;
        } catch (RuntimeException | Error e) {
            store.close();
            throw e;
        }
    }

    /** A persisted index and the look-up structures built from it. */
    private record PreparedIndex(IndexFile.Content content, LinkingIndex index) {
    }

    private static Optional<PreparedIndex> awaitIndex(FutureTask<Optional<PreparedIndex>> preparing, Path directory) {
        try {
            return preparing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while opening " + directory);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("cannot read the index of " + directory, e.getCause());
        }
    }

    private static PreparedIndex rebuildIndex(Tdb2Store store) {
        GraphIndexer indexer = new GraphIndexer();
        store.read(() -> {
            ExtendedIterator<Triple> all = store.graph().find(Node.ANY, Node.ANY, Node.ANY);
            try {
                all.forEachRemaining(indexer::accept);
            } finally {
                all.close();
            }
            return null;
        });
        IndexFile.Content collected = indexer.finish();
        LinkingIndex index = LinkingIndex.of(collected.data());
        IndexFile.Content content = new IndexFile.Content(collected.triples(), collected.predicateCounts(), index.data());
        if (Files.isWritable(store.directory())) {
            IndexFile.write(store.indexFile(), content);
        }
        return new PreparedIndex(content, index);
    }

    private static void parseAll(List<GraphSource> sources, Graph graph, GraphIndexer indexer) {
        for (GraphSource source : sources) {
            long before = indexer.triples();
            long started = System.nanoTime();
            // The bundled world graph is generated by Synod itself: skip RIOT's per-term checks for speed.
            PipelinedParser.parse(source, !source.name().startsWith("classpath:"), triple -> {
                graph.add(triple);
                indexer.accept(triple);
            });
            LOG.debug("Parsed {} triples from {} in {} ms", indexer.triples() - before, source.name(),
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** Sources may repeat a triple; the graph holds it once, and the statistics say what the graph holds. */
    private static IndexFile.Content withTripleCount(IndexFile.Content content, long triples) {
        return new IndexFile.Content(triples, content.predicateCounts(), content.data());
    }

    private static List<String> names(List<GraphSource> sources) {
        return sources.stream().map(GraphSource::name).toList();
    }
}
