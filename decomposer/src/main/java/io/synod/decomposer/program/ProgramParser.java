// Reads program texts and single QS lines, with errors that point at the line and say what was expected.
package io.synod.decomposer.program;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parser of the program grammar:
 * <pre>
 * program  = blank* "QC:" question (blank | step answer?)* "QS: [EOQ]" blank*
 * step     = "QS:" ["(" operation ")"] "[" handler "]" sub-question
 * answer   = "A:" (JSON list of strings | bare text, read as a one-item list)
 * </pre>
 * An omitted operation means {@code select}. {@code #n} in a sub-question refers to the answer of
 * the n-th step (from 1), which must come before it. Stateless and thread-safe.
 */
public final class ProgramParser {

    private static final String STEP_FORM = "\"QS: (operation) [handler] question\"";
    private static final Pattern QUESTION_LINE = Pattern.compile("QC:\\s*(.*)");
    private static final Pattern ANSWER_LINE = Pattern.compile("A:\\s*(.*)");
    private static final Pattern END_LINE = Pattern.compile("QS:\\s*\\[EOQ]");
    private static final Pattern STEP_LINE =
            Pattern.compile("QS:\\s*(?:\\(([^)]*)\\)\\s*)?\\[([^\\]]*)]\\s*(.*)");
    private static final Pattern HANDLER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");
    private static final int QUOTED_LENGTH = 120;

    private ProgramParser() {
    }

    /** Parses a whole program; A lines are kept in {@link Program#answers()}. */
    public static Program parse(String text) throws ProgramSyntaxException {
        String[] lines = text.split("\r?\n", -1);
        String question = null;
        var steps = new ArrayList<Step>();
        var answers = new HashMap<Integer, List<String>>();
        boolean ended = false;
        boolean answerAllowed = false;
        for (int index = 0; index < lines.length; index++) {
            int lineNumber = index + 1;
            String line = lines[index].strip();
            if (line.isEmpty()) {
                continue;
            }
            if (ended) {
                throw new ProgramSyntaxException(lineNumber,
                        "expected nothing after \"" + Program.END + "\" but found " + quote(line));
            }
            if (question == null) {
                Matcher matcher = QUESTION_LINE.matcher(line);
                if (!matcher.matches() || matcher.group(1).isBlank()) {
                    throw new ProgramSyntaxException(lineNumber,
                            "expected \"QC: question\" as the first line but found " + quote(line));
                }
                question = matcher.group(1).strip();
                continue;
            }
            Matcher answer = ANSWER_LINE.matcher(line);
            if (answer.matches()) {
                if (!answerAllowed) {
                    throw new ProgramSyntaxException(lineNumber,
                            "expected an A line only right after a QS step but found " + quote(line));
                }
                answers.put(steps.size(), parseAnswer(answer.group(1), line, lineNumber));
                answerAllowed = false;
                continue;
            }
            Optional<Step> step = parseStep(line, lineNumber, steps.size() + 1);
            if (step.isEmpty()) {
                ended = true;
            } else {
                steps.add(step.get());
                answerAllowed = true;
            }
        }
        if (question == null) {
            throw new ProgramSyntaxException(1, "expected \"QC: question\" but the program is empty");
        }
        if (!ended) {
            throw new ProgramSyntaxException(lines.length,
                    "expected \"" + Program.END + "\" at the end of the program");
        }
        return new Program(question, steps, answers);
    }

    /**
     * Parses one {@code QS:} line, as a model emits it; empty for {@code QS: [EOQ]}. References are not
     * checked here (the line's position is not known): see {@link #parseStep(String, int, int)}.
     */
    public static Optional<Step> parseStep(String line, int lineNumber) throws ProgramSyntaxException {
        String trimmed = line.strip();
        if (END_LINE.matcher(trimmed).matches()) {
            return Optional.empty();
        }
        Matcher matcher = STEP_LINE.matcher(trimmed);
        if (!matcher.matches()) {
            throw new ProgramSyntaxException(lineNumber, "expected " + STEP_FORM + " or \"" + Program.END
                    + "\" but found " + quote(trimmed));
        }
        Operation operation = Operation.SELECT;
        if (matcher.group(1) != null) {
            operation = Operation.fromWord(matcher.group(1).strip()).orElseThrow(() -> new ProgramSyntaxException(
                    lineNumber, "expected " + STEP_FORM + " but found " + quote(trimmed) + "; operations are "
                            + Operation.allWords()));
        }
        String handler = matcher.group(2).strip();
        if (handler.equals("EOQ")) {
            throw new ProgramSyntaxException(lineNumber,
                    "expected \"" + Program.END + "\" alone on its line but found " + quote(trimmed));
        }
        if (!HANDLER_NAME.matcher(handler).matches()) {
            throw new ProgramSyntaxException(lineNumber, "expected a handler name (a letter, then letters, digits,"
                    + " '_', '-' or '.') between [ and ] but found " + quote(trimmed));
        }
        String question = matcher.group(3).strip();
        if (question.isEmpty()) {
            throw new ProgramSyntaxException(lineNumber,
                    "expected " + STEP_FORM + " with a sub-question after [" + handler + "] but found " + quote(trimmed));
        }
        return Optional.of(new Step(operation, handler, question));
    }

    /**
     * Parses the QS line of step {@code stepNumber} (1-based) and checks that its references name
     * earlier steps only.
     */
    public static Optional<Step> parseStep(String line, int lineNumber, int stepNumber) throws ProgramSyntaxException {
        Optional<Step> step = parseStep(line, lineNumber);
        if (step.isPresent()) {
            String problem = referenceProblem(step.get(), stepNumber);
            if (problem != null) {
                throw new ProgramSyntaxException(lineNumber, problem + " in " + quote(line.strip()));
            }
        }
        return step;
    }

    /** Why {@code step}, as step {@code stepNumber}, refers to a step that does not exist yet; null when it does not. */
    static String referenceProblem(Step step, int stepNumber) {
        List<Integer> missing = References.unavailable(step.question(), stepNumber - 1);
        if (missing.isEmpty()) {
            return null;
        }
        String available = stepNumber == 1 ? "it is the first step, so it can refer to none"
                : stepNumber == 2 ? "only #1 comes before it" : "only #1 to #" + (stepNumber - 1) + " come before it";
        return "step " + stepNumber + " refers to #" + missing.get(0) + ", which is not an earlier step ("
                + available + ")";
    }

    private static List<String> parseAnswer(String text, String line, int lineNumber) throws ProgramSyntaxException {
        List<String> items = AnswerLists.parse(text);
        if (items == null) {
            throw new ProgramSyntaxException(lineNumber,
                    "expected a JSON list of strings after \"A:\" (such as A: [\"Saudi riyal\"]) but found " + quote(line));
        }
        return items;
    }

    private static String quote(String line) {
        String shown = line.length() > QUOTED_LENGTH ? line.substring(0, QUOTED_LENGTH) + "..." : line;
        return "\"" + shown + "\"";
    }
}
