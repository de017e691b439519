// One place to read triples from: a file on disk or a classpath resource.
package io.synod.kg.load;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A named source of triples and its format. {@link #open()} returns the decompressed bytes.
 *
 * @param name     what error messages call it: the file path, or {@code classpath:/...}
 * @param format   the syntax
 * @param gzipped  whether the bytes are gzip-compressed
 * @param baseIri  base IRI for relative IRIs in Turtle
 * @param opener   opens the raw bytes
 */
public record GraphSource(String name, SourceFormat format, boolean gzipped, String baseIri, Opener opener) {

    /** Opens a stream of raw bytes. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    /** A file whose format comes from its extension ({@link SourceFormat#of}). */
    public static GraphSource file(Path file) {
        String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        SourceFormat format = SourceFormat.of(fileName);
        return new GraphSource(file.toString(), format, SourceFormat.isGzipped(fileName),
                file.toAbsolutePath().toUri().toString(), () -> Files.newInputStream(file));
    }

    /**
     * A classpath resource (absolute path, e.g. {@code /io/synod/kg/world/world.nt.gz}).
     *
     * @throws IllegalStateException when the resource is not on the classpath
     */
    public static GraphSource resource(Class<?> anchor, String path, String missingHint) {
        if (anchor.getResource(path) == null) {
            throw new IllegalStateException("classpath resource " + path + " is missing; " + missingHint);
        }
        String fileName = path.substring(path.lastIndexOf('/') + 1);
        return new GraphSource("classpath:" + path, SourceFormat.of(fileName), SourceFormat.isGzipped(fileName),
                "http://synod.io/", () -> anchor.getResourceAsStream(path));
    }

    /** The decompressed, buffered content. */
    public InputStream open() throws IOException {
        InputStream raw = opener.open();
        if (raw == null) {
            throw new IOException("cannot open " + name);
        }
        return gzipped ? new GZIPInputStream(raw, 1 << 16) : new BufferedInputStream(raw, 1 << 16);
    }
}
