// The error for a model directory that cannot be used: names the file, the key and what was expected.
package io.synod.solvers.model;

import java.nio.file.Path;

/** A checkpoint, configuration or tokenizer that does not fit what the runtime expects. */
public final class ModelFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(Path file, String key, String problem) {
        super(file + (key == null ? "" : ": " + key) + ": " + problem);
    }

    public ModelFormatException(Path file, String key, String problem, Throwable cause) {
        super(file + (key == null ? "" : ": " + key) + ": " + problem, cause);
    }
}
