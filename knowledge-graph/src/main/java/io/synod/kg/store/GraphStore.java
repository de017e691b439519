// Where the triples live: an in-memory graph or a TDB2 database, behind one narrow interface.
package io.synod.kg.store;

import java.util.function.Supplier;
import org.apache.jena.graph.Graph;
import org.apache.jena.sparql.core.DatasetGraph;

/**
 * The storage of a knowledge graph (internal to this module: Jena types never leave it).
 *
 * <p>All reads go through {@link #read}, which runs inside a read transaction where the storage needs
 * one (TDB2) and directly otherwise. Implementations are safe for concurrent reads.
 */
public interface GraphStore extends AutoCloseable {

    /** The graph of all triples (the default graph). Use only inside {@link #read}. */
    Graph graph();

    /** The dataset, for SPARQL. Use only inside {@link #read}. */
    DatasetGraph dataset();

    /** Runs {@code action} with read access to the graph and returns its result. */
    <T> T read(Supplier<T> action);

    /** One line for statistics: {@code "memory"} or {@code "tdb2:<directory>"}. */
    String description();

    @Override
    void close();
}
