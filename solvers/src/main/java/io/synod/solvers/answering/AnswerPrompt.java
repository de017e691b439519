// The prompts of the model solver: answering a question directly, and answering it again with the
// sub-questions and their answers in context (DaSLaM's last step).
package io.synod.solvers.answering;

import java.util.List;

/**
 * <pre>
 * Question: Which currency does Togo use?
 * Answer:
 * </pre>
 * and, with facts gathered by sub-questions,
 * <pre>
 * Question: Which currency is used in the country whose capital is Lomé?
 * Facts:
 * Which country has Lomé as its capital? = Togo
 * Which currency does Togo use? = West African CFA franc
 * Answer:
 * </pre>
 * The model completes {@code " <answer>"}.
 */
public final class AnswerPrompt {

    /** A sub-question and its answer texts. */
    public record Fact(String question, List<String> answers) {
    }

    /** At most this many answer items per fact are shown. */
    public static final int ITEMS_SHOWN = 4;

    private AnswerPrompt() {
    }

    public static String direct(String question) {
        return "Question: " + question.strip() + "\nAnswer:";
    }

    public static String withFacts(String question, List<Fact> facts) {
        StringBuilder text = new StringBuilder(256);
        text.append("Question: ").append(question.strip()).append("\nFacts:\n");
        for (Fact fact : facts) {
            List<String> answers = fact.answers();
            int shown = Math.min(ITEMS_SHOWN, answers.size());
            text.append(fact.question().strip()).append(" = ")
                    .append(answers.isEmpty() ? "nothing" : String.join(", ", answers.subList(0, shown)));
            if (answers.size() > shown) {
                text.append(", ...");
            }
            text.append('\n');
        }
        text.append("Answer:");
        return text.toString();
    }
}
