// The read side of the API: entities, linking, edges and relation paths over a store, with labels from the index.
package io.synod.kg;

import io.synod.kg.KnowledgeGraph.Candidate;
import io.synod.kg.KnowledgeGraph.Direction;
import io.synod.kg.KnowledgeGraph.Edge;
import io.synod.kg.KnowledgeGraph.Entity;
import io.synod.kg.KnowledgeGraph.GraphPath;
import io.synod.kg.KnowledgeGraph.Mention;
import io.synod.kg.KnowledgeGraph.Relation;
import io.synod.kg.KnowledgeGraph.RelationSummary;
import io.synod.kg.linking.LinkingIndex;
import io.synod.kg.store.GraphStore;
import io.synod.kg.store.IndexFile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.util.iterator.ExtendedIterator;

/**
 * Reads the graph with {@code Graph.find} (no SPARQL on these paths) and names nodes and relations from
 * pre-computed tables: the label index and the relation catalogue. Immutable and thread-safe.
 */
final class GraphReader {

    static final Comparator<KnowledgeGraph.Node> BY_LABEL = Comparator
            .comparing(KnowledgeGraph.Node::label, String.CASE_INSENSITIVE_ORDER)
            .thenComparing(KnowledgeGraph.Node::id);
    private static final Comparator<Edge> BY_RELATION_THEN_LABEL = Comparator
            .comparing((Edge edge) -> edge.relation().name())
            .thenComparing(Edge::other, BY_LABEL);

    private final GraphStore store;
    private final LinkingIndex index;
    private final RelationCatalog catalog;

    GraphReader(GraphStore store, IndexFile.Content content, LinkingIndex index) {
        this.store = store;
        this.index = index;
        this.catalog = RelationCatalog.build(store, content.predicateCounts());
    }

    LinkingIndex index() {
        return index;
    }

    RelationCatalog catalog() {
        return catalog;
    }

    Optional<Entity> entity(String id) {
        int number = index.entityNumber(Terms.unbracket(id.strip()));
        if (number < 0) {
            return Optional.empty();
        }
        return Optional.of(store.read(() -> describe(number)));
    }

    /** Must run inside {@code store.read}. */
    private Entity describe(int number) {
        String id = index.id(number);
        Node node = Terms.node(id);
        Graph graph = store.graph();
        String label = labelOf(number);
        Set<String> aliases = new LinkedHashSet<>();
        forEach(graph, node, Terms.LABEL, Node.ANY, triple -> addLiteral(aliases, triple.getObject(), label));
        forEach(graph, node, Terms.ALT_LABEL, Node.ANY, triple -> addLiteral(aliases, triple.getObject(), label));
        List<String> types = new ArrayList<>();
        forEach(graph, node, Terms.TYPE, Node.ANY, triple -> types.add(labelOf(triple.getObject())));
        return new Entity(id, label, List.copyOf(aliases), types);
    }

    private static void addLiteral(Set<String> aliases, Node object, String label) {
        if (object.isLiteral() && !object.getLiteralLexicalForm().equals(label)) {
            aliases.add(object.getLiteralLexicalForm());
        }
    }

    private String labelOf(int number) {
        String label = index.label(number);
        return label != null ? label : Terms.localName(index.id(number));
    }

    private String labelOf(Node node) {
        if (node.isLiteral()) {
            return node.getLiteralLexicalForm();
        }
        String id = Terms.id(node);
        int number = index.entityNumber(id);
        return number >= 0 ? labelOf(number) : Terms.localName(id);
    }

    /** The public form of a node. */
    KnowledgeGraph.Node toNode(Node node) {
        if (node.isLiteral()) {
            String lexical = node.getLiteralLexicalForm();
            return new KnowledgeGraph.Node(lexical, lexical, true);
        }
        return new KnowledgeGraph.Node(Terms.id(node), labelOf(node), false);
    }

    List<Candidate> find(String text, int limit) {
        List<LinkingIndex.Match> matches = index.find(text, limit);
        if (matches.isEmpty()) {
            return List.of();
        }
        return store.read(() -> candidates(matches));
    }

    private List<Candidate> candidates(List<LinkingIndex.Match> matches) {
        List<Candidate> candidates = new ArrayList<>(matches.size());
        for (LinkingIndex.Match match : matches) {
            candidates.add(new Candidate(describe(match.entity()), match.matchedLabel(), match.score(), match.exact()));
        }
        return candidates;
    }

    List<Mention> mentions(String sentence) {
        List<LinkingIndex.Span> spans = index.mentions(sentence, KnowledgeGraph.CANDIDATES_PER_MENTION);
        if (spans.isEmpty()) {
            return List.of();
        }
        return store.read(() -> {
            List<Mention> mentions = new ArrayList<>(spans.size());
            for (LinkingIndex.Span span : spans) {
                mentions.add(new Mention(span.start(), span.end(), span.text(), candidates(span.matches())));
            }
            return mentions;
        });
    }

    List<Edge> edges(String id, Direction direction) {
        Node node = Terms.node(id);
        return store.read(() -> {
            List<Edge> edges = new ArrayList<>();
            Graph graph = store.graph();
            if (direction == Direction.OUT) {
                forEach(graph, node, Node.ANY, Node.ANY, triple -> {
                    if (!Terms.isAttribute(triple.getPredicate())) {
                        edges.add(new Edge(catalog.relation(triple.getPredicate()), Direction.OUT, toNode(triple.getObject())));
                    }
                });
            } else {
                forEach(graph, Node.ANY, Node.ANY, node, triple ->
                        edges.add(new Edge(catalog.relation(triple.getPredicate()), Direction.IN, toNode(triple.getSubject()))));
            }
            edges.sort(BY_RELATION_THEN_LABEL);
            return edges;
        });
    }

    List<RelationSummary> relationsOf(String id) {
        Node node = Terms.node(id);
        return store.read(() -> {
            Graph graph = store.graph();
            Map<Node, long[]> out = new LinkedHashMap<>();
            Map<Node, long[]> in = new LinkedHashMap<>();
            forEach(graph, node, Node.ANY, Node.ANY, triple -> {
                if (!Terms.isAttribute(triple.getPredicate())) {
                    out.computeIfAbsent(triple.getPredicate(), key -> new long[1])[0]++;
                }
            });
            forEach(graph, Node.ANY, Node.ANY, node, triple ->
                    in.computeIfAbsent(triple.getPredicate(), key -> new long[1])[0]++);
            List<RelationSummary> summaries = new ArrayList<>(summaries(out, Direction.OUT));
            summaries.addAll(summaries(in, Direction.IN));
            return summaries;
        });
    }

    private List<RelationSummary> summaries(Map<Node, long[]> counts, Direction direction) {
        List<RelationSummary> summaries = new ArrayList<>(counts.size());
        counts.forEach((predicate, count) -> summaries.add(new RelationSummary(catalog.relation(predicate), direction, count[0])));
        summaries.sort(Comparator.comparing((RelationSummary summary) -> summary.relation().name())
                .thenComparing(summary -> summary.relation().id()));
        return summaries;
    }

    Set<KnowledgeGraph.Node> follow(String startId, List<String> relationPath) {
        List<List<RelationCatalog.Step>> steps = relationPath.stream().map(catalog::resolve).toList();
        Node start = Terms.node(startId);
        return store.read(() -> {
            Graph graph = store.graph();
            Set<Node> current = new LinkedHashSet<>();
            current.add(start);
            for (List<RelationCatalog.Step> alternatives : steps) {
                Set<Node> next = new LinkedHashSet<>();
                for (Node node : current) {
                    for (RelationCatalog.Step step : alternatives) {
                        if (step.direction() == Direction.OUT) {
                            if (!node.isLiteral()) {
                                forEach(graph, node, step.predicate(), Node.ANY, triple -> next.add(triple.getObject()));
                            }
                        } else {
                            forEach(graph, Node.ANY, step.predicate(), node, triple -> next.add(triple.getSubject()));
                        }
                    }
                }
                current = next;
            }
            List<KnowledgeGraph.Node> reached = new ArrayList<>(current.size());
            current.forEach(node -> reached.add(toNode(node)));
            reached.sort(BY_LABEL);
            return new LinkedHashSet<>(reached);
        });
    }

    List<GraphPath> paths(String fromId, String toId, int maxHops, int limit) {
        if (maxHops <= 0 || limit <= 0) {
            return List.of();
        }
        Node from = Terms.node(fromId);
        Node to = Terms.node(toId);
        if (from.equals(to)) {
            return List.of();
        }
        return store.read(() -> new PathSearch(store.graph(), this).search(from, to, maxHops, limit));
    }

    Relation relation(Node predicate) {
        return catalog.relation(predicate);
    }

    /** Calls {@code action} on each matching triple and always closes the iterator. */
    static void forEach(Graph graph, Node subject, Node predicate, Node object, java.util.function.Consumer<Triple> action) {
        ExtendedIterator<Triple> found = graph.find(subject, predicate, object);
        try {
            while (found.hasNext()) {
                action.accept(found.next());
            }
        } finally {
            found.close();
        }
    }
}
