// Parses a graph source (Turtle, N-Triples, TSV) into a stream of triples, turning every error into a GraphLoadException.
package io.synod.kg.load;

import io.synod.kg.GraphLoadException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.zip.ZipException;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.riot.RiotException;
import org.apache.jena.riot.RiotParseException;
import org.apache.jena.riot.system.ErrorHandler;
import org.apache.jena.riot.system.StreamRDF;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads one {@link GraphSource} into a {@link StreamRDF}. Stateless; each call is independent. */
public final class SourceParser {

    private static final Logger LOG = LoggerFactory.getLogger(SourceParser.class);

    private SourceParser() {
    }

    /**
     * Sends every triple of {@code source} to {@code output}.
     *
     * @param checking whether RIOT checks IRIs and literals (warnings are logged); off for trusted sources
     * @throws GraphLoadException on a syntax error (with line and column), an unreadable file or bad gzip
     */
    public static void parse(GraphSource source, StreamRDF output, boolean checking) {
        try (InputStream in = source.open()) {
            switch (source.format()) {
                case TSV -> TsvTriplesParser.parse(
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16), source.name(), output);
                case TURTLE -> parseRdf(source, in, Lang.TURTLE, output, checking);
                case NTRIPLES -> parseRdf(source, in, Lang.NTRIPLES, output, checking);
                default -> throw new IllegalStateException("unhandled format " + source.format());
            }
        } catch (GraphLoadException e) {
            throw e;
        } catch (RiotParseException e) {
            throw new GraphLoadException(source.name(), e.getLine(), e.getCol(), e.getOriginalMessage(), e);
        } catch (RiotException e) {
            throw new GraphLoadException(source.name(), -1, -1, e.getMessage(), e);
        } catch (ZipException e) {
            throw new GraphLoadException(source.name(), -1, -1, "expected gzip-compressed content (.gz): " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new GraphLoadException(source.name(), -1, -1, "no such file", e);
        } catch (IOException | UncheckedIOException e) {
            throw new GraphLoadException(source.name(), -1, -1, "cannot read: " + e.getMessage(), e);
        }
    }

    private static void parseRdf(GraphSource source, InputStream in, Lang lang, StreamRDF output, boolean checking) {
        RDFParser.create()
                .source(in)
                .lang(lang)
                .base(source.baseIri())
                .checking(checking)
                .errorHandler(new FailingErrorHandler(source.name()))
                .parse(output);
    }

    /** Logs warnings; turns errors into a GraphLoadException at once, so that nothing after them is read. */
    private record FailingErrorHandler(String sourceName) implements ErrorHandler {

        @Override
        public void warning(String message, long line, long column) {
            LOG.warn("{}: line {}, column {}: {}", sourceName, line, column, message);
        }

        @Override
        public void error(String message, long line, long column) {
            throw new GraphLoadException(sourceName, line, column, message);
        }

        @Override
        public void fatal(String message, long line, long column) {
            throw new GraphLoadException(sourceName, line, column, message);
        }
    }
}
