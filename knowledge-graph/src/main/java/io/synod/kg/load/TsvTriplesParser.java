// Reads the TSV triples format: one `subject<TAB>relation<TAB>object` per line.
package io.synod.kg.load;

import io.synod.kg.GraphLoadException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.apache.jena.datatypes.TypeMapper;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.riot.system.StreamRDF;
import org.apache.jena.vocabulary.RDFS;

/**
 * The TSV triples format.
 *
 * <ul>
 *   <li>One triple per line: {@code subject<TAB>relation<TAB>object}, UTF-8. Blank lines and lines whose
 *       first non-blank character is {@code #} are skipped. Spaces around a column are trimmed.</li>
 *   <li>{@code <...>} is an IRI (subject, relation or object).</li>
 *   <li>An object in double quotes is a literal: {@code "text"}, {@code "text"@en} or
 *       {@code "text"^^<datatype-IRI>}; inside the quotes {@code \"}, {@code \\}, {@code \t}, {@code \n}
 *       are escapes.</li>
 *   <li>Any other subject or object is a plain name: it becomes the entity
 *       {@value #ENTITY_NAMESPACE}{@code <URL-encoded name>} with the name as its {@code rdfs:label}.
 *       A plain relation becomes {@value #RELATION_NAMESPACE}{@code <URL-encoded name>}, also labelled
 *       with the name (so its name in relation paths is the URL-encoded form: prefer one word,
 *       hyphenated, such as {@code capital} or {@code located-in}).</li>
 * </ul>
 * A malformed line fails the whole file with a {@link GraphLoadException} naming the file and line.
 */
public final class TsvTriplesParser {

    /** Namespace of entities written as plain names. */
    public static final String ENTITY_NAMESPACE = "http://synod.io/tsv/entity/";
    /** Namespace of relations written as plain names. */
    public static final String RELATION_NAMESPACE = "http://synod.io/tsv/rel/";

    private static final String EXPECTED_COLUMNS = "expected 3 tab-separated columns: subject, relation, object";

    private final String sourceName;
    private final StreamRDF output;
    private final Set<Node> labelled = new HashSet<>();
    private long lineNumber;

    private TsvTriplesParser(String sourceName, StreamRDF output) {
        this.sourceName = sourceName;
        this.output = output;
    }

    /** Reads every line of {@code reader} into {@code output}, between its start() and finish(). */
    public static void parse(BufferedReader reader, String sourceName, StreamRDF output) {
        new TsvTriplesParser(sourceName, output).run(reader);
    }

    private void run(BufferedReader reader) {
        output.start();
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                parseLine(line);
            }
            output.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(sourceName + ": line " + lineNumber + ": " + e.getMessage(), e);
        }
    }

    private void parseLine(String line) {
        String stripped = line.strip();
        if (stripped.isEmpty() || stripped.startsWith("#")) {
            return;
        }
        String[] columns = line.split("\t", -1);
        if (columns.length != 3) {
            throw error(1, EXPECTED_COLUMNS + "; found " + columns.length
                    + (columns.length == 1 ? " (no tab on this line)" : ""));
        }
        int[] starts = {1, columns[0].length() + 2, columns[0].length() + columns[1].length() + 3};
        String[] names = {"subject", "relation", "object"};
        for (int i = 0; i < 3; i++) {
            if (columns[i].isBlank()) {
                throw error(starts[i], EXPECTED_COLUMNS + "; the " + names[i] + " column is empty");
            }
        }
        Node subject = resource(columns[0].strip(), starts[0], "subject", ENTITY_NAMESPACE);
        Node relation = resource(columns[1].strip(), starts[1], "relation", RELATION_NAMESPACE);
        String object = columns[2].strip();
        Node objectNode = object.startsWith("\"") ? literal(object, starts[2])
                : resource(object, starts[2], "object", ENTITY_NAMESPACE);
        output.triple(Triple.create(subject, relation, objectNode));
    }

    private Node resource(String text, int column, String role, String namespace) {
        if (text.startsWith("<")) {
            if (!text.endsWith(">") || text.length() < 3 || text.contains(" ")) {
                throw error(column, "expected an IRI written <...> without spaces for the " + role + ", got " + text);
            }
            return NodeFactory.createURI(text.substring(1, text.length() - 1));
        }
        if (text.startsWith("\"")) {
            throw error(column, "expected an IRI or a plain name for the " + role + ", got the literal " + text
                    + " (only objects may be literals)");
        }
        Node node = NodeFactory.createURI(namespace + URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20"));
        if (labelled.add(node)) {
            output.triple(Triple.create(node, RDFS.Nodes.label, NodeFactory.createLiteralString(text)));
        }
        return node;
    }

    private Node literal(String text, int column) {
        StringBuilder value = new StringBuilder();
        int i = 1;
        boolean closed = false;
        while (i < text.length()) {
            char c = text.charAt(i++);
            if (c == '"') {
                closed = true;
                break;
            }
            if (c == '\\' && i < text.length()) {
                char escaped = text.charAt(i++);
                switch (escaped) {
                    case 't' -> value.append('\t');
                    case 'n' -> value.append('\n');
                    case 'r' -> value.append('\r');
                    case '"', '\\' -> value.append(escaped);
                    default -> throw error(column + i - 2, "expected an escape \\\" \\\\ \\t \\n or \\r in the literal, got \\" + escaped);
                }
            } else {
                value.append(c);
            }
        }
        if (!closed) {
            throw error(column, "expected a closing double quote for the literal " + text);
        }
        String suffix = text.substring(i);
        if (suffix.isEmpty()) {
            return NodeFactory.createLiteralString(value.toString());
        }
        if (suffix.startsWith("@") && suffix.length() > 1 && suffix.substring(1).matches("[A-Za-z]+(-[A-Za-z0-9]+)*")) {
            return NodeFactory.createLiteralLang(value.toString(), suffix.substring(1));
        }
        if (suffix.startsWith("^^<") && suffix.endsWith(">") && suffix.length() > 4) {
            String datatype = suffix.substring(3, suffix.length() - 1);
            return NodeFactory.createLiteralDT(value.toString(), TypeMapper.getInstance().getSafeTypeByName(datatype));
        }
        throw error(column + i, "expected nothing, @language or ^^<datatype> after the literal, got " + suffix);
    }

    private GraphLoadException error(int column, String detail) {
        return new GraphLoadException(sourceName, lineNumber, column, detail);
    }
}
