// The decomp handler: answers a sub-question by running a nested program for it (recursion).
package io.synod.decomposer.program;

import java.util.Map;
import java.util.Objects;

/**
 * Runs a nested program for its sub-question, one level deeper (the depth limit applies), and answers
 * with that program's answer. Where the nested steps come from is a {@link Sources}: the model-backed
 * decomposer, or fixed programs ({@link #withPrograms}).
 */
public final class DecompHandler implements Handler {

    /** The step source for a sub-question. */
    @FunctionalInterface
    public interface Sources {
        StepSource forQuestion(String question) throws Exception;
    }

    private final Sources sources;

    public DecompHandler(Sources sources) {
        this.sources = Objects.requireNonNull(sources, "sources");
    }

    /** A handler that runs the program given for each sub-question (matched exactly), and fails on others. */
    public static DecompHandler withPrograms(Map<String, Program> programs) {
        Map<String, Program> copied = Map.copyOf(programs);
        return new DecompHandler(question -> {
            Program program = copied.get(question);
            if (program == null) {
                throw new HandlerException("no program for the sub-question \"" + question + "\"");
            }
            return StepSource.of(program);
        });
    }

    @Override
    public HandlerResult handle(HandlerCall call) throws Exception {
        ExecutionResult nested = call.subPrograms().run(call.question(), sources.forQuestion(call.question()));
        if (nested.limit() != null) {
            throw new LimitReachedException(nested.limit(), "nested program: " + nested.error());
        }
        if (!nested.succeeded()) {
            throw new HandlerException("nested program: " + nested.error());
        }
        return HandlerResult.of(nested.answer());
    }
}
