// Collects triples as N-Triples lines and writes them sorted and gzipped, so that a rebuild is byte-identical.
package io.synod.kg.world;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.jena.datatypes.TypeMapper;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.riot.out.NodeFmtLib;

/**
 * An append-only set of triples. Jena formats every term, so escaping follows the N-Triples grammar;
 * {@link #writeSortedGzip} sorts the lines, drops duplicates and writes a gzip stream whose header carries
 * no timestamp (java.util.zip writes zero), so the same triples always give the same bytes.
 */
final class NTriplesSink {

    private final List<String> lines = new ArrayList<>();

    /** An edge between two nodes. */
    void addEdge(String subjectIri, String predicateIri, String objectIri) {
        add(subjectIri, predicateIri, NodeFactory.createURI(objectIri));
    }

    /** A plain string literal (xsd:string). */
    void addText(String subjectIri, String predicateIri, String text) {
        add(subjectIri, predicateIri, NodeFactory.createLiteralString(text));
    }

    /** A typed literal, e.g. ("138398", XSD + "integer"). */
    void addTyped(String subjectIri, String predicateIri, String lexicalForm, String datatypeIri) {
        Node literal = NodeFactory.createLiteralDT(lexicalForm, TypeMapper.getInstance().getSafeTypeByName(datatypeIri));
        add(subjectIri, predicateIri, literal);
    }

    int size() {
        return lines.size();
    }

    private void add(String subjectIri, String predicateIri, Node object) {
        lines.add(NodeFmtLib.strNT(NodeFactory.createURI(subjectIri)) + " "
                + NodeFmtLib.strNT(NodeFactory.createURI(predicateIri)) + " "
                + NodeFmtLib.strNT(object) + " .\n");
    }

    /** Writes the distinct triples in sorted order and returns how many were written. */
    int writeSortedGzip(Path file) throws IOException {
        List<String> sorted = lines.stream().sorted().distinct().toList();
        try (OutputStream out = new BestCompressionGzip(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
             Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            for (String line : sorted) {
                writer.write(line);
            }
        }
        return sorted.size();
    }

    private static final class BestCompressionGzip extends GZIPOutputStream {
        BestCompressionGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_COMPRESSION);
        }
    }
}
