// Everything a handler is told about one call: the sub-question, where it sits in the trace, what it refers to.
package io.synod.decomposer.program;

import io.synod.solvers.reasoning.Trace;
import io.synod.solvers.reasoning.Value;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One call of a handler.
 *
 * @param question    the sub-question with every {@code #n} substituted: for {@code select} (and the
 *                    reductions) by the answer's items joined with ", "; for {@code project} and
 *                    {@code filter} the iterated reference by the one item of this call
 * @param template    the sub-question as written, with its {@code #n} references; symbolic handlers
 *                    read this with {@code answers}
 * @param operation   the step's operation
 * @param stepId      this call's trace id ({@code "2"}, or {@code "2.1"} for an item of a project step)
 * @param parentId    the trace id of the step that caused this call ({@code null} at the top level)
 * @param trace       the question's trace, for handlers that record their own sub-steps (with parent
 *                    {@code stepId})
 * @param depthLeft   how many more levels of nested programs may be started below this call
 * @param referenced  the values substituted into {@code question}, in order (graph entities keep their
 *                    id, so a graph handler can start from the node instead of re-linking the text)
 * @param answers     the answers of the earlier steps of this program, by step number (in an item call
 *                    of project or filter, the iterated reference holds just that item)
 * @param subPrograms runs a nested program below this call (recursion)
 */
public record HandlerCall(
        String question,
        String template,
        Operation operation,
        String stepId,
        String parentId,
        Trace trace,
        int depthLeft,
        List<Value> referenced,
        Map<Integer, List<Value>> answers,
        SubPrograms subPrograms) {

    public HandlerCall {
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(trace, "trace");
        referenced = List.copyOf(referenced);
        answers = Map.copyOf(answers);
        Objects.requireNonNull(subPrograms, "subPrograms");
    }

    /**
     * The answer of step {@code number}.
     *
     * @throws IllegalArgumentException when there is no such earlier step
     */
    public List<Value> answer(int number) {
        List<Value> answer = answers.get(number);
        if (answer == null) {
            throw new IllegalArgumentException("#" + number + " is not an earlier step (known: "
                    + (answers.isEmpty() ? "none" : answers.keySet().stream().sorted().map(n -> "#" + n).toList()) + ")");
        }
        return answer;
    }
}
