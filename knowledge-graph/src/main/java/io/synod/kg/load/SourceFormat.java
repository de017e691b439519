// The graph file formats Synod reads, recognised by file extension.
package io.synod.kg.load;

import java.util.Locale;

/** Turtle, N-Triples or TSV triples, each optionally gzipped. */
public enum SourceFormat {
    TURTLE(".ttl"),
    NTRIPLES(".nt"),
    TSV(".tsv");

    private final String extension;

    SourceFormat(String extension) {
        this.extension = extension;
    }

    /** The extension without compression, e.g. {@code ".ttl"}. */
    public String extension() {
        return extension;
    }

    /** Whether a file name ends in {@code .gz}. */
    public static boolean isGzipped(String fileName) {
        return fileName.toLowerCase(Locale.ROOT).endsWith(".gz");
    }

    /**
     * The format of a file name: {@code .ttl}, {@code .nt} or {@code .tsv}, each optionally followed by
     * {@code .gz}.
     *
     * @throws IllegalArgumentException for any other extension, naming the file and the accepted ones
     */
    public static SourceFormat of(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        for (SourceFormat format : values()) {
            if (name.endsWith(format.extension)) {
                return format;
            }
        }
        throw new IllegalArgumentException(fileName + ": unknown graph file extension; expected .ttl (Turtle), "
                + ".nt (N-Triples) or .tsv (tab-separated triples), each optionally followed by .gz");
    }
}
