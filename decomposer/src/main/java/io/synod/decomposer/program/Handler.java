// What answers a sub-question: the knowledge solver, a model, a symbolic reduction, or a nested program.
package io.synod.decomposer.program;

/**
 * Answers one call of a step. Implementations may throw: the executor turns any exception into a
 * failed step whose error is the exception's message, and the run stops there.
 */
@FunctionalInterface
public interface Handler {

    HandlerResult handle(HandlerCall call) throws Exception;
}
