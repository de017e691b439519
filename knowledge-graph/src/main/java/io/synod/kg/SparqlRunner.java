// Runs SPARQL queries and turns their results into plain strings.
package io.synod.kg;

import io.synod.kg.KnowledgeGraph.SparqlResult;
import io.synod.kg.store.GraphStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryCancelledException;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.QueryParseException;
import org.apache.jena.sparql.core.Var;
import org.apache.jena.sparql.engine.binding.Binding;
import org.apache.jena.sparql.exec.QueryExec;
import org.apache.jena.sparql.exec.RowSet;

/** SELECT, ASK, CONSTRUCT and DESCRIBE over a store, each in one read (transaction). Stateless. */
final class SparqlRunner {

    /** Longest a query may run before it is cancelled. */
    static final long TIMEOUT_SECONDS = 60;

    private SparqlRunner() {
    }

    static SparqlResult run(GraphStore store, String queryText) {
        Query query = parse(queryText);
        try {
            return store.read(() -> {
                try (QueryExec exec = QueryExec.dataset(store.dataset()).query(query)
                        .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).build()) {
                    if (query.isSelectType()) {
                        return select(exec.select());
                    }
                    if (query.isAskType()) {
                        return new SparqlResult(List.of(), List.of(), exec.ask());
                    }
                    if (query.isConstructType()) {
                        return triples(exec.constructTriples());
                    }
                    if (query.isDescribeType()) {
                        return triples(exec.describeTriples());
                    }
                    throw new IllegalArgumentException("unsupported SPARQL query form: only SELECT, ASK, CONSTRUCT and DESCRIBE are run");
                }
            });
        } catch (QueryCancelledException e) {
            throw new IllegalStateException("SPARQL query cancelled after " + TIMEOUT_SECONDS + " s", e);
        }
    }

    private static Query parse(String queryText) {
        try {
            return QueryFactory.create(queryText);
        } catch (QueryParseException e) {
            throw new IllegalArgumentException("SPARQL syntax error: " + condense(e), e);
        }
    }

    /**
     * Jena's message (which names the line and column of the offending token) with its list of expected
     * tokens cut to the first few, on one line.
     */
    static String condense(QueryParseException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().strip();
        String[] lines = message.split("\\R");
        StringBuilder text = new StringBuilder(lines[0].strip());
        if (lines.length > 1) {
            List<String> expected = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i].strip();
                if (!line.isEmpty() && !line.startsWith("Was expecting")) {
                    expected.add(line.endsWith("...") ? line.substring(0, line.length() - 3).strip() : line);
                }
            }
            if (!expected.isEmpty()) {
                text.append(" Was expecting one of: ").append(String.join(", ", expected.subList(0, Math.min(8, expected.size()))));
                if (expected.size() > 8) {
                    text.append(", ... (").append(expected.size() - 8).append(" more)");
                }
            }
        }
        if (!text.toString().contains("line")) {
            text.append(" (line ").append(e.getLine()).append(", column ").append(e.getColumn()).append(')');
        }
        return text.toString();
    }

    private static SparqlResult select(RowSet rows) {
        List<Var> vars = rows.getResultVars();
        List<String> columns = vars.stream().map(Var::getVarName).toList();
        List<List<String>> table = new ArrayList<>();
        while (rows.hasNext()) {
            Binding binding = rows.next();
            List<String> row = new ArrayList<>(vars.size());
            for (Var var : vars) {
                Node value = binding.get(var);
                row.add(value == null ? "" : Terms.id(value));
            }
            table.add(row);
        }
        return new SparqlResult(columns, table, null);
    }

    private static SparqlResult triples(Iterator<Triple> triples) {
        List<List<String>> table = new ArrayList<>();
        triples.forEachRemaining(triple -> table.add(List.of(Terms.id(triple.getSubject()),
                Terms.id(triple.getPredicate()), Terms.id(triple.getObject()))));
        return new SparqlResult(List.of("subject", "predicate", "object"), table, null);
    }
}
