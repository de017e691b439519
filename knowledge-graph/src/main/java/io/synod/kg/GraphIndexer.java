// Collects, while triples stream past, what linking and statistics need: entities, degrees, labels, predicate counts.
package io.synod.kg;

import io.synod.kg.linking.LinkingIndex;
import io.synod.kg.store.IndexFile;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;

/**
 * One pass over the triples, during the load (or over a TDB2 store without a persisted index).
 * Entities are the IRIs and blank nodes in subject or object position. A predicate whose local name is
 * {@code population} gives a numeric population to its subject (used for prominence). Not thread-safe.
 */
final class GraphIndexer {

    private final LinkingIndex.Builder entities = new LinkingIndex.Builder();
    private final Map<Node, long[]> predicateCounts = new HashMap<>();
    private final Map<Node, Boolean> populationPredicates = new HashMap<>();
    private long triples;
    private Node lastSubject;
    private int lastSubjectNumber;

    void accept(Triple triple) {
        triples++;
        Node subject = triple.getSubject();
        Node predicate = triple.getPredicate();
        Node object = triple.getObject();
        int subjectNumber = subjectNumber(subject);
        predicateCounts.computeIfAbsent(predicate, key -> new long[1])[0]++;
        if (Terms.isAttribute(predicate)) {
            if (object.isLiteral()) {
                entities.addLabel(subjectNumber, object.getLiteralLexicalForm(), object.getLiteralLanguage(),
                        predicate.equals(Terms.ALT_LABEL));
            }
            return;
        }
        entities.addEdge(subjectNumber);
        if (object.isLiteral()) {
            if (populationPredicates.computeIfAbsent(predicate, GraphIndexer::isPopulation)) {
                entities.setPopulation(subjectNumber, parseCount(object.getLiteralLexicalForm()));
            }
        } else {
            entities.addEdge(entities.entity(Terms.id(object)));
        }
    }

    // Sources usually list a subject's triples together; remembering the last one saves most hash look-ups.
    private int subjectNumber(Node subject) {
        if (subject != lastSubject && !subject.equals(lastSubject)) {
            lastSubject = subject;
            lastSubjectNumber = entities.entity(Terms.id(subject));
        }
        return lastSubjectNumber;
    }

    private static boolean isPopulation(Node predicate) {
        return predicate.isURI() && Terms.localName(predicate.getURI()).equalsIgnoreCase("population");
    }

    private static long parseCount(String lexical) {
        try {
            return Long.parseLong(lexical.strip());
        } catch (NumberFormatException notAnInteger) {
            try {
                return (long) Double.parseDouble(lexical.strip());
            } catch (NumberFormatException notANumber) {
                return 0;
            }
        }
    }

    long triples() {
        return triples;
    }

    /** Freezes the result; relation IRIs are kept out of entity linking. */
    IndexFile.Content finish() {
        Map<String, Long> counts = new LinkedHashMap<>();
        predicateCounts.forEach((predicate, count) -> counts.put(Terms.id(predicate), count[0]));
        Set<String> relationIds = counts.keySet();
        return new IndexFile.Content(triples, counts, entities.data(relationIds));
    }
}
