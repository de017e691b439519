// A run stopped by one of its limits.
package io.synod.decomposer.program;

/** Thrown where a limit of {@link ExecutionLimits} stops work; the executor turns it into a failed step. */
public final class LimitReachedException extends Exception {

    private final ExecutionLimits.Kind kind;

    public LimitReachedException(ExecutionLimits.Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ExecutionLimits.Kind kind() {
        return kind;
    }
}
