// A question made for training, with the program that answers it and the facts along the way.
package io.synod.decomposer.training;

import io.synod.solvers.reasoning.Value;

import java.util.List;

/**
 * A generated question. {@code steps} is its DecomP program without the end marker; {@code answers} are the
 * values each step produced on the graph (same order); {@code walk} is the relation path from {@code topic}
 * for questions a single walk answers (empty for counts, comparisons and yes/no); {@code answer} is the final
 * answer's values.
 */
record GeneratedQuestion(String kind, String question, String topic, String topicSurface, List<String> walk,
                         List<ProgramStep> steps, List<List<Value>> answers, List<Value> answer) {

    /** One QS line: {@code QS: (operation) [handler] text}; {@code references} are the #n it uses (1-based). */
    record ProgramStep(String operation, String handler, String text, List<Integer> references) {
        String line() {
            return "(" + operation + ") [" + handler + "] " + text;
        }
    }
}
