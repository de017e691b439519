// An error answered as JSON: the HTTP status, a stable code for programs and a sentence for people.
package io.synod.http;

import io.synod.actors.Failure;
import io.synod.actors.SynodException;
import io.synod.solvers.reasoning.TraceEvent;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * A request that failed, as the API answers it: {@code {"error": {"code", "message", "trace"}}} with
 * {@link #status()}. Thrown inside the routes (the exception handler turns it into the response) or built from
 * a failed question. {@code trace} holds the steps a question recorded before it failed (a deadline), empty
 * otherwise. 503 answers carry Retry-After ({@link #retryLater()}). Immutable.
 */
public final class ApiError extends RuntimeException {

    private final StatusCode status;
    private final String code;
    private final List<TraceEvent> trace;

    public ApiError(StatusCode status, String code, String message, List<TraceEvent> trace) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.trace = List.copyOf(trace);
    }

    public ApiError(StatusCode status, String code, String message) {
        this(status, code, message, List.of());
    }

    /** 400: a body that is not JSON, or a field that is missing or of the wrong type. */
    public static ApiError badRequest(String code, String message) {
        return new ApiError(StatusCodes.BAD_REQUEST, code, message);
    }

    /** 413: a body or question longer than accepted. */
    public static ApiError tooLarge(String code, String message) {
        return new ApiError(StatusCodes.CONTENT_TOO_LARGE, code, message);
    }

    /**
     * The error a failed stage of the embedded API stands for: its {@link SynodException} mapped by kind (see
     * {@link #status(Failure.Kind)}); anything else is a 500.
     */
    public static ApiError of(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ApiError error) {
            return error;
        }
        if (cause instanceof SynodException synod) {
            return new ApiError(status(synod.kind()), synod.kind().name().toLowerCase(Locale.ROOT),
                    synod.failure().message(), synod.trace());
        }
        return new ApiError(StatusCodes.INTERNAL_SERVER_ERROR, "internal_error",
                "the request failed inside the server: " + cause);
    }

    /**
     * The status of each kind of failure: invalid question or request 400, not found 404, overloaded, not
     * ready and unavailable 503 (with Retry-After), deadline 504, solver failure 500.
     */
    public static StatusCode status(Failure.Kind kind) {
        return switch (kind) {
            case INVALID_QUESTION, INVALID_REQUEST -> StatusCodes.BAD_REQUEST;
            case NOT_FOUND -> StatusCodes.NOT_FOUND;
            case OVERLOADED, NOT_READY, UNAVAILABLE -> StatusCodes.SERVICE_UNAVAILABLE;
            case DEADLINE_EXCEEDED -> StatusCodes.GATEWAY_TIMEOUT;
            case SOLVER_FAILED -> StatusCodes.INTERNAL_SERVER_ERROR;
        };
    }

    public StatusCode status() {
        return status;
    }

    /** The stable, lower-case code of the error: {@code invalid_json}, {@code overloaded}, ... */
    public String code() {
        return code;
    }

    public List<TraceEvent> trace() {
        return trace;
    }

    /** Whether the client may try again shortly (the answer then carries Retry-After). */
    public boolean retryLater() {
        return status.intValue() == StatusCodes.SERVICE_UNAVAILABLE.intValue();
    }
}
