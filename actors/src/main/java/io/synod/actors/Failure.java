// Why a question or a request got no result: the kind (for callers to act on) and a sentence for people.
package io.synod.actors;

import io.synod.solvers.reasoning.TraceEvent;

import java.util.List;
import java.util.Objects;

/**
 * What failed. {@code message} says what failed in words a person reads; {@code trace} holds the steps a
 * question had recorded before it failed (empty for requests that are not questions). Immutable.
 */
public record Failure(Kind kind, String message, List<TraceEvent> trace) {

    /**
     * The kinds of failure, each with what an HTTP front end would answer (the HTTP module decides).
     */
    public enum Kind {
        /** The question is empty, too long or not plain text (400). */
        INVALID_QUESTION,
        /** A request's argument is not acceptable: a deadline, an adapter name, a limit (400). */
        INVALID_REQUEST,
        /** An adapter or graph entity of that name does not exist (404). */
        NOT_FOUND,
        /** Too many questions in flight or waiting: refused at once, try again shortly (503 with Retry-After). */
        OVERLOADED,
        /** The model or the graph is still loading (503). */
        NOT_READY,
        /** Synod is shutting down, or the model or graph failed to load (503). */
        UNAVAILABLE,
        /** The question had no answer before its deadline (504). */
        DEADLINE_EXCEEDED,
        /** A solver threw (twice, with the retry) or could not run the question (500). */
        SOLVER_FAILED
    }

    public Failure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        trace = trace == null ? List.of() : List.copyOf(trace);
    }

    public static Failure of(Kind kind, String message) {
        return new Failure(kind, message, List.of());
    }
}
