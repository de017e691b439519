// Thrown when a graph source cannot be read: names the file, the line and column, and what was expected.
package io.synod.kg;

/**
 * A graph source could not be loaded. The message names the source (a file path or the bundled
 * resource), the line and column when known, and what the parser expected there, for example
 * {@code "/data/x.ttl: line 3, column 12: Expected BNode or IRI: Got: [DOT]"}. Nothing from a failed
 * load stays in place: the graph under construction is dropped (in memory) or its write transaction is
 * aborted (TDB2).
 */
public final class GraphLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final long line;
    private final long column;

    /**
     * @param source the file or resource name
     * @param line   1-based line, or -1 when unknown
     * @param column 1-based column, or -1 when unknown
     * @param detail what went wrong, ideally what was expected
     */
    public GraphLoadException(String source, long line, long column, String detail, Throwable cause) {
        super(format(source, line, column, detail), cause);
        this.source = source;
        this.line = line;
        this.column = column;
    }

    public GraphLoadException(String source, long line, long column, String detail) {
        this(source, line, column, detail, null);
    }

    private static String format(String source, long line, long column, String detail) {
        StringBuilder message = new StringBuilder(source);
        if (line > 0) {
            message.append(": line ").append(line);
            if (column > 0) {
                message.append(", column ").append(column);
            }
        }
        return message.append(": ").append(detail).toString();
    }

    /** The file path or resource name that failed to load. */
    public String source() {
        return source;
    }

    /** The 1-based line of the error, or -1 when unknown. */
    public long line() {
        return line;
    }

    /** The 1-based column of the error, or -1 when unknown. */
    public long column() {
        return column;
    }
}
