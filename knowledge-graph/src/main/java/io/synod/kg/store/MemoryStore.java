// An in-memory graph (Jena GraphMem2), built once and then only read.
package io.synod.kg.store;

import java.util.function.Supplier;
import org.apache.jena.graph.Graph;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.DatasetGraphFactory;

/**
 * A graph held in memory. It is never modified after it is published, so concurrent reads need no
 * lock or transaction.
 */
public final class MemoryStore implements GraphStore {

    private final Graph graph;
    private final DatasetGraph dataset;

    public MemoryStore(Graph graph) {
        this.graph = graph;
        this.dataset = DatasetGraphFactory.wrap(graph);
    }

    @Override
    public Graph graph() {
        return graph;
    }

    @Override
    public DatasetGraph dataset() {
        return dataset;
    }

    @Override
    public <T> T read(Supplier<T> action) {
        return action.get();
    }

    @Override
    public String description() {
        return "memory";
    }

    @Override
    public void close() {
        graph.close();
    }
}
