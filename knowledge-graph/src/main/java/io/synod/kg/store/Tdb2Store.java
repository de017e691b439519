// A TDB2 database on disk made by Synod, recognised by its marker file.
package io.synod.kg.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.jena.graph.Graph;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.DatabaseMgr;
import org.apache.jena.tdb2.sys.TDBInternal;

/**
 * A TDB2 store in a directory.
 *
 * <p><b>How a Synod store is recognised.</b> After a load commits, Synod writes the marker file
 * {@value #MARKER_FILE} (Java properties: format, version, sources, triple count, load time) into the
 * directory, and before it the persisted label index {@value #INDEX_FILE}. A directory with the marker
 * is opened as it is, without reading any source again; a directory without it is not a Synod store
 * (a load that failed or was interrupted leaves no marker, so the next build loads again from scratch).
 *
 * <p>Reads run in TDB2 read transactions (many readers at once). {@link #close()} releases the database
 * so that the directory can be opened again, in this JVM or another.
 */
public final class Tdb2Store implements GraphStore {

    /** The marker file written after a successful load. */
    public static final String MARKER_FILE = "synod-kg.properties";
    /** The label index and statistics, persisted so that reopening does not scan the store. */
    public static final String INDEX_FILE = "synod-kg-index.bin";

    private static final String FORMAT = "synod-kg-tdb2";
    private static final String VERSION = "1";

    private final Path directory;
    private final DatasetGraph dataset;

    private Tdb2Store(Path directory, DatasetGraph dataset) {
        this.directory = directory;
        this.dataset = dataset;
    }

    /** Whether {@code directory} holds a Synod TDB2 store (its marker file names the Synod format). */
    public static boolean isSynodStore(Path directory) {
        Path marker = directory.resolve(MARKER_FILE);
        if (!Files.isRegularFile(marker)) {
            return false;
        }
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(marker)) {
            properties.load(in);
        } catch (IOException e) {
            return false;
        }
        return FORMAT.equals(properties.getProperty("format"));
    }

    /**
     * Opens the existing Synod store in {@code directory}.
     *
     * @throws IllegalArgumentException when the directory is not a Synod TDB2 store
     */
    public static Tdb2Store openExisting(Path directory) {
        requireSynodStore(directory);
        return new Tdb2Store(directory, DatabaseMgr.connectDatasetGraph(directory.toString()));
    }

    /**
     * Checks that {@code directory} holds a Synod TDB2 store.
     *
     * @throws IllegalArgumentException naming the directory and how to make a store, when it does not
     */
    public static void requireSynodStore(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException(directory + ": not a directory");
        }
        if (!isSynodStore(directory)) {
            throw new IllegalArgumentException(directory + ": not a Synod TDB2 store (no " + MARKER_FILE
                    + "); create one with KnowledgeGraph.builder().optTdb2Directory(dir) or `synod kg load --into DIR`");
        }
    }

    /**
     * Opens {@code directory} for a fresh load: creates it when absent; refuses a non-empty directory that
     * is not a TDB2 database (so that a wrong path never mixes triples into someone else's files).
     * An earlier marker is removed first: the store is a Synod store again only once this load succeeds.
     */
    public static Tdb2Store openForLoading(Path directory) {
        try {
            Files.createDirectories(directory);
            if (!looksLikeTdb2(directory)) {
                throw new IllegalArgumentException(directory + ": not empty and not a TDB2 database; "
                        + "give an empty or new directory for the store");
            }
            Files.deleteIfExists(directory.resolve(MARKER_FILE));
            Files.deleteIfExists(directory.resolve(INDEX_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(directory + ": " + e.getMessage(), e);
        }
        return new Tdb2Store(directory, DatabaseMgr.connectDatasetGraph(directory.toString()));
    }

    private static boolean looksLikeTdb2(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            List<String> names = entries.map(path -> path.getFileName().toString()).toList();
            return names.stream().allMatch(name -> name.startsWith("Data-") || name.equals("tdb.lock")
                    || name.startsWith("Backups") || name.equals(MARKER_FILE) || name.equals(INDEX_FILE)
                    || name.endsWith(".tmp"));
        }
    }

    /** Writes the marker that makes this directory a Synod store (last step of a successful load). */
    public void writeMarker(List<String> sources, long triples) {
        Properties properties = new Properties();
        properties.setProperty("format", FORMAT);
        properties.setProperty("version", VERSION);
        properties.setProperty("sources", String.join(" | ", sources));
        properties.setProperty("triples", Long.toString(triples));
        properties.setProperty("loaded-at", Instant.now().toString());
        Path marker = directory.resolve(MARKER_FILE);
        Path temporary = directory.resolve(MARKER_FILE + ".tmp");
        try {
            try (var out = Files.newBufferedWriter(temporary)) {
                properties.store(out, "Synod knowledge graph store: loaded once, opened without reloading its sources");
            }
            Files.move(temporary, marker, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(marker + ": " + e.getMessage(), e);
        }
    }

    /** The store's directory. */
    public Path directory() {
        return directory;
    }

    /** Where the persisted index lives. */
    public Path indexFile() {
        return directory.resolve(INDEX_FILE);
    }

    /** Runs {@code action} in one write transaction, aborted (nothing kept) when it throws. */
    public void write(Runnable action) {
        Txn.executeWrite(dataset, action);
    }

    @Override
    public Graph graph() {
        return dataset.getDefaultGraph();
    }

    @Override
    public DatasetGraph dataset() {
        return dataset;
    }

    @Override
    public <T> T read(Supplier<T> action) {
        return Txn.calculateRead(dataset, action);
    }

    @Override
    public String description() {
        return "tdb2:" + directory;
    }

    @Override
    public void close() {
        TDBInternal.expel(dataset);
    }
}
