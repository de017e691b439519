// A whole DecomP program: the complex question, its steps, and the answers written after them.
package io.synod.decomposer.program;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A program in the project's dialect of DecomP:
 * <pre>
 * QC: Which currencies do the neighbours of the country with capital Riyadh use?
 * QS: (select) [kg] Which country has Riyadh as its capital?
 * A: ["Saudi Arabia"]
 * QS: (project) [kg] Which currency does #1 use?
 * A: ["Saudi riyal"]
 * QS: [EOQ]
 * </pre>
 * {@code answers} maps a step number (1-based, in order of the steps) to the items of its {@code A:}
 * line; a step without an {@code A:} line has no entry. Immutable; {@link #format()} writes the
 * canonical text, which {@link ProgramParser#parse} reads back to an equal program.
 */
public record Program(String question, List<Step> steps, Map<Integer, List<String>> answers) {

    public static final String END = "QS: [EOQ]";

    public Program {
        Objects.requireNonNull(question, "question");
        steps = List.copyOf(steps);
        var copied = new HashMap<Integer, List<String>>();
        for (var entry : answers.entrySet()) {
            int number = entry.getKey();
            if (number < 1 || number > steps.size()) {
                throw new IllegalArgumentException("answer for step " + number + " but the program has "
                        + steps.size() + " steps");
            }
            copied.put(number, List.copyOf(entry.getValue()));
        }
        answers = Map.copyOf(copied);
    }

    /** A program without A lines. */
    public static Program of(String question, List<Step> steps) {
        return new Program(question, steps, Map.of());
    }

    /** The items of step {@code number}'s A line, or {@code null} when it has none. */
    public List<String> answer(int number) {
        return answers.get(number);
    }

    /** The canonical text: QC line, each QS line followed by its A line when there is one, then {@code QS: [EOQ]}. */
    public String format() {
        var out = new StringBuilder("QC: ").append(question).append('\n');
        for (int index = 0; index < steps.size(); index++) {
            out.append(steps.get(index).format()).append('\n');
            List<String> answer = answers.get(index + 1);
            if (answer != null) {
                out.append(formatAnswer(answer)).append('\n');
            }
        }
        return out.append(END).append('\n').toString();
    }

    /** An A line: {@code A: ["Saudi riyal", "Euro"]}. */
    public static String formatAnswer(List<String> items) {
        return "A: " + AnswerLists.format(items);
    }

    @Override
    public String toString() {
        return format();
    }
}
