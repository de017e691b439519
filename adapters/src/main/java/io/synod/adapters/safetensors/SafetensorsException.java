// The one failure of reading or writing safetensors files and checkpoints.
package io.synod.adapters.safetensors;

/**
 * A safetensors file, checkpoint directory or index could not be read or written as expected. The
 * message names the file (or directory), the tensor key when there is one, and what was expected.
 * I/O failures are wrapped, with the {@link java.io.IOException} as the cause.
 */
public final class SafetensorsException extends RuntimeException {

    public SafetensorsException(String message) {
        super(message);
    }

    public SafetensorsException(String message, Throwable cause) {
        super(message, cause);
    }
}
