// The text the decomposition model reads before writing the next QS line; shared by the model-backed
// decomposer and the code that writes its training data.
package io.synod.decomposer.model;

import java.util.List;

/**
 * The prompt is the program so far, in DecomP's format, ending with an open {@code QS:}:
 * <pre>
 * QC: Which currency is used in the country whose capital is Lomé?
 * QS: (select) [kg] Which country has Lomé as its capital?
 * A: ["Togo"]
 * QS:
 * </pre>
 * The model completes the line ({@code  (select) [kg] Which currency does #1 use?} or {@code  [EOQ]}).
 * In DaSLaM mode an {@code Attempt:} line after {@code QC} shows the solver's first answer. Answer lists
 * are cut to {@value #ITEMS_SHOWN} items so that long lists do not crowd the context.
 */
public final class DecomposerPrompt {

    public static final int ITEMS_SHOWN = 4;
    public static final String END = "[EOQ]";

    /** A step already run: its QS text (without {@code QS: }) and the answer texts. */
    public record DoneStep(String line, List<String> answers) {
    }

    private DecomposerPrompt() {
    }

    public static String prompt(String question, String attempt, List<DoneStep> done) {
        StringBuilder text = new StringBuilder(256);
        text.append("QC: ").append(question.strip()).append('\n');
        if (attempt != null) {
            text.append("Attempt: ").append(attempt.strip()).append('\n');
        }
        for (DoneStep step : done) {
            text.append("QS: ").append(step.line()).append('\n');
            text.append("A: ").append(answerList(step.answers())).append('\n');
        }
        text.append("QS:");
        return text.toString();
    }

    /** An answer list as JSON, cut to {@value #ITEMS_SHOWN} items plus {@code "..."}. */
    public static String answerList(List<String> answers) {
        StringBuilder text = new StringBuilder("[");
        int shown = Math.min(ITEMS_SHOWN, answers.size());
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                text.append(", ");
            }
            text.append('"').append(answers.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        if (answers.size() > shown) {
            text.append(", \"...\"");
        }
        return text.append(']').toString();
    }
}
