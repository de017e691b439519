// A handler that cannot answer the call it was given (bad input, nothing found).
package io.synod.decomposer.program;

/** Thrown by handlers for an expected failure; the message names the input and what was expected. */
public final class HandlerException extends Exception {

    public HandlerException(String message) {
        super(message);
    }
}
