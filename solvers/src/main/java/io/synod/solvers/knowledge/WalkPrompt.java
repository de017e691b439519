// The text a graph-walk model reads at each hop, and the option strings it scores; shared by the walker
// and the code that writes its training data, so that both see exactly the same format.
package io.synod.solvers.knowledge;

import java.util.List;

/**
 * The walk prompt (after KSL, Feng et al. 2023: the model sees the question, where it stands, the path so far
 * and the candidate relations, and chooses one or stops):
 * <pre>
 * Question: Which currency does the country whose capital is Lomé use?
 * At: Togo [country]
 * Path: capital-of
 * Options: area | borders | capital | continent | currency | ... | answer
 * Next:
 * </pre>
 * The model's choice is the option whose continuation {@code " <option>\n"} it scores highest; the
 * trailing newline keeps {@code capital} from winning over {@code capital-of} as a mere prefix.
 * Before the first hop, {@code At} reads {@value #NOWHERE} and the options are the candidate start
 * entities, written by {@link #entityOption}.
 */
public final class WalkPrompt {

    /** The option that stops the walk and answers with the entities at hand. */
    public static final String ANSWER = "answer";
    /** What {@code At} says before the walk has a start entity. */
    public static final String NOWHERE = "nowhere yet";
    /** At most this many entity labels are spelled out in {@code At}. */
    public static final int LABELS_SHOWN = 3;

    private WalkPrompt() {
    }

    /** The prompt for one decision. {@code atLabels} empty means the start is being chosen. */
    public static String prompt(String question, List<String> atLabels, String atType, List<String> path,
                                List<String> options) {
        StringBuilder text = new StringBuilder(256);
        text.append("Question: ").append(question.strip()).append('\n');
        text.append("At: ").append(atLabels.isEmpty() ? NOWHERE : describe(atLabels, atType)).append('\n');
        text.append("Path: ").append(path.isEmpty() ? "start" : String.join(" > ", path)).append('\n');
        text.append("Options: ").append(String.join(" | ", options)).append('\n');
        text.append("Next:");
        return text.toString();
    }

    /** The continuation scored for an option. */
    public static String continuation(String option) {
        return " " + option + "\n";
    }

    /** How a candidate start entity is written as an option: its label and its kind, e.g. {@code Riyadh [city in Saudi Arabia]}. */
    public static String entityOption(String label, String kind) {
        return label + " [" + kind + "]";
    }

    private static String describe(List<String> labels, String type) {
        StringBuilder text = new StringBuilder();
        int shown = Math.min(LABELS_SHOWN, labels.size());
        text.append(String.join(", ", labels.subList(0, shown)));
        if (labels.size() > shown) {
            text.append(" and ").append(labels.size() - shown).append(" more");
        }
        if (type != null && !type.isEmpty()) {
            text.append(" [").append(type).append(']');
        }
        return text.toString();
    }
}
