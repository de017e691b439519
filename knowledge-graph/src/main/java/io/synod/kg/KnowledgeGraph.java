// The knowledge graph API: loading, entity linking, neighbourhoods, relation paths, path search and SPARQL.
package io.synod.kg;

import io.synod.kg.linking.LinkingIndex;
import io.synod.kg.load.GraphSource;
import io.synod.kg.store.GraphStore;
import io.synod.kg.store.IndexFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A knowledge graph held by Apache Jena, in memory or in a TDB2 directory, with a label index for
 * entity linking. Only records, enums and strings cross this API; no Jena type does.
 *
 * <h2>Data conventions</h2>
 * An entity is any IRI (or blank node) in subject or object position; its label is its
 * {@code rdfs:label} (else the IRI's local name), its aliases its {@code skos:altLabel}s, its types the
 * labels of its {@code rdf:type}s. A relation is a predicate IRI; its name is the IRI's local name
 * ({@code http://synod.io/world/rel/capital} is {@code capital}); its label and description come from
 * the predicate's own {@code rdfs:label} and {@code rdfs:comment}, else its name (and label).
 * {@code rdfs:label} and {@code skos:altLabel} are attributes and never appear as edges; {@code rdf:type}
 * is an edge named {@code type}. Node ids are IRIs ({@code _:label} for blank nodes); a literal node's
 * id and label are its lexical form.
 *
 * <h2>Relation paths</h2>
 * In {@link #follow}, {@code name} follows a relation forward, {@code name-of} or {@code ^name} backwards:
 * {@code Lomé capital-of currency} reaches the West African CFA franc.
 *
 * <h2>Loading</h2>
 * {@link #bundled()} loads the world graph shipped on the classpath; {@link #builder()} loads files
 * ({@code .ttl}, {@code .nt}, {@code .tsv}, each optionally {@code .gz}; TSV is described in
 * {@link io.synod.kg.load.TsvTriplesParser}) in memory or into TDB2; {@link #open(Path)} opens a file or
 * an existing TDB2 store. A source that fails to parse throws {@link GraphLoadException} and leaves
 * nothing behind.
 *
 * <h2>Threads</h2>
 * A KnowledgeGraph is immutable once built and safe for any number of concurrent readers: the in-memory
 * graph is never written after it is published, and on TDB2 every call runs in its own read transaction.
 * {@link #close()} must not race with reads.
 */
public final class KnowledgeGraph implements AutoCloseable {

    /** Where {@link #bundled()} finds the world graph. */
    public static final String BUNDLED_WORLD_RESOURCE = "/io/synod/kg/world/world.nt.gz";

    /** How many candidates each mention lists. */
    public static final int CANDIDATES_PER_MENTION = 10;

    /**
     * Size and provenance of a loaded graph.
     *
     * @param triples   triples in the graph
     * @param entities  IRIs and blank nodes in subject or object position
     * @param relations relations in the inventory ({@link KnowledgeGraph#relations()})
     * @param labels    label and alias entries in the linking index (relations' own labels excluded)
     * @param storage   {@code "memory"} or {@code "tdb2:<directory>"}
     * @param loadTime  parsing and indexing, or opening an existing TDB2 store
     */
    public record Stats(long triples, long entities, int relations, long labels, String storage, Duration loadTime) {
    }

    /** An entity with its label, aliases and type labels. */
    public record Entity(String id, String label, List<String> aliases, List<String> types) {
        public Entity {
            aliases = List.copyOf(aliases);
            types = List.copyOf(types);
        }
    }

    /**
     * A candidate entity for a text: the label it matched, a score (1.0 for an exact match, in (0, 1) for a
     * fuzzy one) and whether it was exact.
     */
    public record Candidate(Entity entity, String matchedLabel, double score, boolean exact) {
    }

    /** A mention of an entity in a sentence: {@code [start, end)} char offsets, the text, the candidates (best first). */
    public record Mention(int start, int end, String text, List<Candidate> candidates) {
        public Mention {
            candidates = List.copyOf(candidates);
        }
    }

    /** Which way an edge points, seen from the entity asked about. */
    public enum Direction {
        /** The entity is the subject: entity --relation--> other. */
        OUT,
        /** The entity is the object: other --relation--> entity. */
        IN
    }

    /** A node: an entity (id = IRI) or a literal (id = label = lexical form). */
    public record Node(String id, String label, boolean literal) {
    }

    /** A relation (predicate) with its name, label, one-line description and number of triples. */
    public record Relation(String id, String name, String label, String description, long triples) {
    }

    /** One edge at an entity. */
    public record Edge(Relation relation, Direction direction, Node other) {
    }

    /** How many edges of one relation, in one direction, an entity has. */
    public record RelationSummary(Relation relation, Direction direction, long count) {
    }

    /** One hop of a path: OUT means from --relation--> to, IN means to --relation--> from. */
    public record PathStep(Node from, Relation relation, Direction direction, Node to) {
    }

    /** A path between two entities, as its steps. */
    public record GraphPath(List<PathStep> steps) {
        public GraphPath {
            steps = List.copyOf(steps);
        }
    }

    /**
     * The result of a SPARQL query. SELECT: column names and rows of strings (IRIs, literal lexical forms,
     * {@code _:label} for blank nodes, {@code ""} when unbound), {@code askAnswer} null. ASK: no columns or
     * rows, {@code askAnswer} set. CONSTRUCT and DESCRIBE: columns subject, predicate, object and one row per
     * triple.
     */
    public record SparqlResult(List<String> columns, List<List<String>> rows, Boolean askAnswer) {
        public SparqlResult {
            columns = List.copyOf(columns);
            rows = rows.stream().map(List::copyOf).toList();
        }
    }

    private final GraphStore store;
    private final GraphReader reader;
    private final Stats stats;

    /**
     * Publishes a loaded store with its label index; {@code startedNanos} (System.nanoTime at the start of
     * loading) dates the load time.
     */
    KnowledgeGraph(GraphStore store, IndexFile.Content content, LinkingIndex index, long startedNanos) {
        this.store = store;
        this.reader = new GraphReader(store, content, index);
        this.stats = new Stats(content.triples(), reader.index().entityCount(), reader.catalog().inventory().size(),
                reader.index().labelCount(), store.description(), Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    /**
     * The bundled world graph (countries, cities, WordNet nouns), loaded in memory from the classpath
     * resource {@value #BUNDLED_WORLD_RESOURCE}.
     *
     * @throws IllegalStateException when the resource is not on the classpath
     */
    public static KnowledgeGraph bundled() {
        return builder().addBundledWorld().build();
    }

    /** A builder for a graph from files and/or the bundled world, in memory or in TDB2. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens {@code path}: a directory must be a TDB2 store made by Synod (opened without reloading
     * anything); a file is loaded in memory (format by extension).
     *
     * @throws IllegalArgumentException when the path is missing, a directory that is not a Synod store,
     *                                  or a file of unknown extension
     * @throws GraphLoadException       when the file does not parse
     */
    public static KnowledgeGraph open(Path path) {
        if (Files.isDirectory(path)) {
            return GraphLoading.openTdb2(path);
        }
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(path + ": no such file or directory");
        }
        return builder().addSource(path).build();
    }

    /** Size, storage and load time. */
    public Stats stats() {
        return stats;
    }

    /** The entity with this id (an IRI, optionally in angle brackets), if the graph has it. */
    public Optional<Entity> entity(String id) {
        return reader.entity(id);
    }

    /** The entity with this id if there is one, else the best {@link #find} candidate for the text. */
    public Optional<Entity> resolve(String textOrId) {
        Optional<Entity> byId = reader.entity(textOrId);
        return byId.isPresent() ? byId : find(textOrId, 1).stream().findFirst().map(Candidate::entity);
    }

    /**
     * Entities whose label or alias matches {@code text}, ignoring case, accents, apostrophe and hyphen
     * styles: exact matches first (score 1.0), then fuzzy ones (typos, partial names; score in (0, 1)).
     * Equally good matches are ordered by prominence, {@code degree + 2 x log2(1 + population / 1000)}
     * (degree: the entity's triples, labels excluded; population: its {@code population} literal), so that
     * "Lome" gives the capital of Togo first, "Paris" the French capital before Paris, Texas, and "China"
     * the country before the porcelain. Fuzzy matching reads a bounded number of index postings per query
     * (see {@code io.synod.kg.linking.FuzzyIndex}).
     */
    public List<Candidate> find(String text, int limit) {
        return reader.find(text, limit);
    }

    /**
     * Every entity mention in {@code sentence}: the longest label match first, non-overlapping, on token
     * boundaries, skipping stopword-only and single-letter n-grams; each with up to
     * {@value #CANDIDATES_PER_MENTION} exact candidates (most prominent first). Fuzzy matches are not
     * scanned for (use {@link #find}).
     */
    public List<Mention> mentions(String sentence) {
        return reader.mentions(sentence);
    }

    /** Edges where the entity is the subject, sorted by relation name then other node's label. */
    public List<Edge> outEdges(String id) {
        return reader.edges(id, Direction.OUT);
    }

    /** Edges where the entity is the object, sorted by relation name then other node's label. */
    public List<Edge> inEdges(String id) {
        return reader.edges(id, Direction.IN);
    }

    /** Per relation and direction, how many edges the entity has (outgoing first, then by name). */
    public List<RelationSummary> relationsOf(String id) {
        return reader.relationsOf(id);
    }

    /** The relation inventory, by name. */
    public List<Relation> relations() {
        return reader.catalog().inventory();
    }

    /**
     * The nodes reached from {@code startId} by following {@code relationPath} step by step
     * ({@code name} forward, {@code name-of} or {@code ^name} backwards), sorted by label then id.
     *
     * @throws IllegalArgumentException for an unknown relation name (the message lists the known ones)
     */
    public Set<Node> follow(String startId, List<String> relationPath) {
        return reader.follow(startId, relationPath);
    }

    /**
     * Up to {@code limit} paths of at most {@code maxHops} edges from one entity to another, shortest
     * first, found by breadth-first search over edges in both directions (literals skipped). The search is
     * bounded (see {@link PathSearch}): each entity contributes at most {@value PathSearch#MAX_NEIGHBOURS_PER_NODE}
     * neighbours to the frontier, though an edge straight to the target is never missed, and at most
     * {@value PathSearch#MAX_VISITED} entities are visited.
     */
    public List<GraphPath> paths(String fromId, String toId, int maxHops, int limit) {
        return reader.paths(fromId, toId, maxHops, limit);
    }

    /**
     * Runs a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query over the graph (timeout
     * {@value SparqlRunner#TIMEOUT_SECONDS} s).
     *
     * @throws IllegalArgumentException on a syntax error (with Jena's line and column) or an unsupported form
     */
    public SparqlResult sparql(String query) {
        return SparqlRunner.run(store, query);
    }

    /** Releases the graph (and, for TDB2, the database directory). */
    @Override
    public void close() {
        store.close();
    }

    @Override
    public String toString() {
        return "KnowledgeGraph[" + stats.storage() + ", " + stats.triples() + " triples]";
    }

    /**
     * Collects sources and storage options; {@link #build()} loads. Not thread-safe.
     */
    public static final class Builder {

        private final List<GraphSource> sources = new ArrayList<>();
        private Path tdb2Directory;

        private Builder() {
        }

        /**
         * Adds a file: {@code .ttl} (Turtle), {@code .nt} (N-Triples) or {@code .tsv} (TSV triples), each
         * optionally followed by {@code .gz}.
         *
         * @throws IllegalArgumentException for any other extension
         */
        public Builder addSource(Path file) {
            sources.add(GraphSource.file(Objects.requireNonNull(file, "file")));
            return this;
        }

        /**
         * Adds the bundled world graph ({@value KnowledgeGraph#BUNDLED_WORLD_RESOURCE}).
         *
         * @throws IllegalStateException when it is not on the classpath
         */
        public Builder addBundledWorld() {
            sources.add(GraphSource.resource(KnowledgeGraph.class, BUNDLED_WORLD_RESOURCE,
                    "build it with scripts/build-world (it belongs in knowledge-graph/src/main/resources)"));
            return this;
        }

        /**
         * Stores the graph in TDB2 in {@code directory} instead of memory. When the directory already holds
         * a Synod store (it has the marker file {@value io.synod.kg.store.Tdb2Store#MARKER_FILE}, written
         * only after a load commits), {@link #build()} opens it as it is and does not read the sources.
         * Otherwise the directory must be new, empty or a TDB2 database, and the sources are loaded into it.
         */
        public Builder optTdb2Directory(Path directory) {
            this.tdb2Directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Loads the sources (or opens the existing TDB2 store) and builds the label index.
         *
         * @throws IllegalStateException when there is nothing to load
         * @throws GraphLoadException    when a source cannot be read or parsed (nothing is kept)
         */
        public KnowledgeGraph build() {
            if (tdb2Directory != null) {
                return GraphLoading.buildTdb2(tdb2Directory, List.copyOf(sources));
            }
            if (sources.isEmpty()) {
                throw new IllegalStateException("no sources: call addSource(file) or addBundledWorld() before build()");
            }
            return GraphLoading.loadInMemory(List.copyOf(sources));
        }
    }
}
