// The exception a failed CompletionStage of the embedded API carries.
package io.synod.actors;

import io.synod.solvers.reasoning.TraceEvent;

import java.util.List;

/**
 * A question or request that failed: {@link #kind()} says how (overloaded, deadline, ...), the message what,
 * {@link #trace()} the steps recorded before the failure. A {@code CompletionStage} of {@link Synod} that fails
 * does so with this exception (wrapped in a {@link java.util.concurrent.CompletionException} where the stage
 * API wraps).
 */
public final class SynodException extends RuntimeException {

    private final Failure failure;

    public SynodException(Failure failure) {
        super(failure.kind() + ": " + failure.message(), null, false, false);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }

    public Failure.Kind kind() {
        return failure.kind();
    }

    /** The steps the question had recorded before it failed; empty for requests that are not questions. */
    public List<TraceEvent> trace() {
        return failure.trace();
    }
}
