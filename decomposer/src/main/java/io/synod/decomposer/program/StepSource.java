// Where the steps of a run come from: a fixed program, or a decomposer that sees the answers so far.
package io.synod.decomposer.program;

import java.util.List;
import java.util.Optional;

/**
 * Proposes the next step of a program after seeing the steps run so far and their answers; empty
 * means {@code QS: [EOQ]}. The model-backed decomposer is one; {@link #of(Program)} replays a fixed
 * program. A source may throw (a malformed line from a model, say): the run then fails with the
 * message, recorded in the trace.
 */
@FunctionalInterface
public interface StepSource {

    Optional<Step> next(String question, List<ExecutedStep> done) throws Exception;

    /** Replays the steps of {@code program} in order, whatever their answers; its A lines are ignored. */
    static StepSource of(Program program) {
        List<Step> steps = program.steps();
        return (question, done) -> done.size() < steps.size() ? Optional.of(steps.get(done.size())) : Optional.empty();
    }
}
