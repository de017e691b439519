// The outcome of running a program: its answer, every step, and the program with its A lines filled.
package io.synod.decomposer.program;

import io.synod.solvers.reasoning.Value;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;

/**
 * The result of a run. {@code answer} is the last step's values (empty when the run failed);
 * {@code steps} holds every step that ran, the failed one last; {@code error} says what went wrong
 * ({@code "step 2 [kg] failed: ..."}), {@code null} when the run succeeded; {@code limit} names the limit
 * that stopped it, {@code null} when none did. Immutable.
 */
public record ExecutionResult(
        String question,
        List<Value> answer,
        List<ExecutedStep> steps,
        String error,
        ExecutionLimits.Kind limit) {

    public ExecutionResult {
        Objects.requireNonNull(question, "question");
        answer = List.copyOf(answer);
        steps = List.copyOf(steps);
    }

    public boolean succeeded() {
        return error == null;
    }

    /** The texts of the answer's items. */
    public List<String> answerTexts() {
        return answer.stream().map(Value::text).toList();
    }

    /** The program that ran, with an A line after every step that succeeded. */
    public Program program() {
        var answers = new HashMap<Integer, List<String>>();
        for (ExecutedStep step : steps) {
            if (step.succeeded()) {
                answers.put(step.number(), step.answerTexts());
            }
        }
        return new Program(question, steps.stream().map(ExecutedStep::step).toList(), answers);
    }

    /** {@link #program()} as text. */
    public String formattedProgram() {
        return program().format();
    }
}
