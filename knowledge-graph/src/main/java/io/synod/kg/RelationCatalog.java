// The relation inventory: every predicate with its name, label, description and triple count, and name resolution for paths.
package io.synod.kg;

import io.synod.kg.KnowledgeGraph.Direction;
import io.synod.kg.KnowledgeGraph.Relation;
import io.synod.kg.store.GraphStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.util.iterator.ExtendedIterator;

/**
 * Relation metadata computed once, so that neighbourhood queries never look it up again.
 * Label and alias predicates are attributes, not relations, and are left out.
 * Immutable and thread-safe.
 */
final class RelationCatalog {

    /** One step of a relation path, resolved: the predicate and which way to follow it. */
    record Step(Node predicate, Relation relation, Direction direction) {
    }

    private final Map<Node, Relation> byPredicate;
    private final Map<String, List<Node>> byName;
    private final Map<String, Node> byId;
    private final List<Relation> inventory;

    private RelationCatalog(Map<Node, Relation> byPredicate) {
        this.byPredicate = byPredicate;
        this.byName = new HashMap<>();
        this.byId = new HashMap<>();
        byPredicate.forEach((predicate, relation) -> {
            byName.computeIfAbsent(relation.name(), name -> new ArrayList<>()).add(predicate);
            byId.put(relation.id(), predicate);
        });
        List<Relation> relations = new ArrayList<>(byPredicate.values());
        relations.sort(Comparator.comparing(Relation::name).thenComparing(Relation::id));
        this.inventory = List.copyOf(relations);
    }

    /** Reads each predicate's rdfs:label and rdfs:comment (falling back to its name) from the store. */
    static RelationCatalog build(GraphStore store, Map<String, Long> predicateCounts) {
        return store.read(() -> {
            Graph graph = store.graph();
            Map<Node, Relation> relations = new LinkedHashMap<>();
            predicateCounts.forEach((id, count) -> {
                Node predicate = Terms.node(id);
                if (Terms.isAttribute(predicate)) {
                    return;
                }
                String name = Terms.localName(id);
                String label = firstLiteral(graph, predicate, Terms.LABEL);
                String comment = firstLiteral(graph, predicate, Terms.COMMENT);
                String shownLabel = label != null ? label : name;
                relations.put(predicate, new Relation(id, name, shownLabel, comment != null ? comment : shownLabel, count));
            });
            return new RelationCatalog(relations);
        });
    }

    private static String firstLiteral(Graph graph, Node subject, Node predicate) {
        String fallback = null;
        ExtendedIterator<Triple> found = graph.find(subject, predicate, Node.ANY);
        try {
            while (found.hasNext()) {
                Node object = found.next().getObject();
                if (object.isLiteral()) {
                    String language = object.getLiteralLanguage();
                    if (language.isEmpty() || language.startsWith("en")) {
                        return object.getLiteralLexicalForm();
                    }
                    if (fallback == null) {
                        fallback = object.getLiteralLexicalForm();
                    }
                }
            }
        } finally {
            found.close();
        }
        return fallback;
    }

    /** All relations, by name. */
    List<Relation> inventory() {
        return inventory;
    }

    /** The relation of a predicate (one made up on the spot if the predicate was not counted at load). */
    Relation relation(Node predicate) {
        Relation relation = byPredicate.get(predicate);
        if (relation != null) {
            return relation;
        }
        String id = Terms.id(predicate);
        String name = Terms.localName(id);
        return new Relation(id, name, name, name, 0);
    }

    /**
     * Resolves one step of a relation path: {@code name} forward; {@code ^name} or {@code name-of}
     * backwards (a relation whose own name ends in -of, such as {@code instance-of}, is forward first);
     * a full relation IRI, optionally in angle brackets and after {@code ^}, also works.
     *
     * @throws IllegalArgumentException naming the step and listing the known relation names
     */
    List<Step> resolve(String step) {
        String text = step.strip();
        if (text.startsWith("^")) {
            List<Step> steps = forward(text.substring(1).strip(), Direction.IN);
            if (!steps.isEmpty()) {
                return steps;
            }
        } else {
            List<Step> steps = forward(text, Direction.OUT);
            if (!steps.isEmpty()) {
                return steps;
            }
            if (text.endsWith("-of")) {
                steps = forward(text.substring(0, text.length() - 3), Direction.IN);
                if (!steps.isEmpty()) {
                    return steps;
                }
            }
        }
        TreeSet<String> names = new TreeSet<>(byName.keySet());
        throw new IllegalArgumentException("unknown relation '" + step + "'; known relations: "
                + String.join(", ", names) + " (follow one backwards with name-of or ^name)");
    }

    private List<Step> forward(String nameOrId, Direction direction) {
        List<Step> steps = new ArrayList<>();
        Node byIri = byId.get(Terms.unbracket(nameOrId));
        if (byIri != null) {
            steps.add(new Step(byIri, byPredicate.get(byIri), direction));
            return steps;
        }
        for (Node predicate : byName.getOrDefault(nameOrId, List.of())) {
            steps.add(new Step(predicate, byPredicate.get(predicate), direction));
        }
        return steps;
    }
}
