// A training data file that cannot be used, with the file and line at fault.
package io.synod.solvers.training;

import java.nio.file.Path;

/** Thrown when a data file cannot be read or a line is not a valid example; the message names file and line. */
public final class TrainingDataException extends RuntimeException {
    private final Path file;
    private final int line;

    public TrainingDataException(Path file, int line, String message) {
        super(line > 0 ? file + ":" + line + ": " + message : file + ": " + message);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    /** The 1-based line at fault, or 0 when the problem is the whole file. */
    public int line() {
        return line;
    }
}
