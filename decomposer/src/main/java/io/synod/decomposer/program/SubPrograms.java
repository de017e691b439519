// How a handler runs a nested program under its own step (the decomp handler's recursion).
package io.synod.decomposer.program;

/**
 * Runs a nested program for a handler call, one level deeper: its steps are numbered under the
 * call's step ({@code 3.1}, {@code 3.2}, ...), record into the same trace, and count against the
 * depth limit. Throws {@link LimitReachedException} when the call is already at the depth limit.
 */
@FunctionalInterface
public interface SubPrograms {

    ExecutionResult run(String question, StepSource source) throws LimitReachedException;
}
