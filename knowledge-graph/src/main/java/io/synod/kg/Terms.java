// The vocabulary Synod reads graphs with, and the conversion between Jena nodes and public id strings.
package io.synod.kg;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.vocabulary.RDF;
import org.apache.jena.vocabulary.RDFS;

/** Vocabulary constants and node/id conversion. Stateless. */
final class Terms {

    static final Node LABEL = RDFS.Nodes.label;
    static final Node ALT_LABEL = NodeFactory.createURI("http://www.w3.org/2004/02/skos/core#altLabel");
    static final Node COMMENT = RDFS.Nodes.comment;
    static final Node TYPE = RDF.Nodes.type;

    private static final String BLANK_PREFIX = "_:";

    private Terms() {
    }

    /** Label and alias triples are attributes of a node, not edges of the graph. */
    static boolean isAttribute(Node predicate) {
        return predicate.equals(LABEL) || predicate.equals(ALT_LABEL);
    }

    /** The public id of a node: the IRI, {@code _:label} for a blank node, the lexical form for a literal. */
    static String id(Node node) {
        if (node.isURI()) {
            return node.getURI();
        }
        if (node.isBlank()) {
            return BLANK_PREFIX + node.getBlankNodeLabel();
        }
        if (node.isLiteral()) {
            return node.getLiteralLexicalForm();
        }
        return node.toString();
    }

    /** The node of a public entity id (an IRI, optionally in angle brackets, or {@code _:label}). */
    static Node node(String id) {
        String trimmed = unbracket(id.strip());
        return trimmed.startsWith(BLANK_PREFIX)
                ? NodeFactory.createBlankNode(trimmed.substring(BLANK_PREFIX.length()))
                : NodeFactory.createURI(trimmed);
    }

    /** {@code <iri>} without its brackets; anything else unchanged. */
    static String unbracket(String id) {
        return id.length() > 2 && id.startsWith("<") && id.endsWith(">") ? id.substring(1, id.length() - 1) : id;
    }

    /** The part of an IRI after its last '/' or '#' (the whole IRI when that part is empty). */
    static String localName(String iri) {
        int cut = Math.max(iri.lastIndexOf('/'), iri.lastIndexOf('#'));
        return cut >= 0 && cut < iri.length() - 1 ? iri.substring(cut + 1) : iri;
    }
}
