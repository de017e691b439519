// The operations a program step can apply: how a sub-question is fanned out over, or reduces, earlier answers.
package io.synod.decomposer.program;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a step does with the answers it refers to, after DecomP (Khot et al. 2022). {@code select},
 * {@code project} and {@code filter} decide how {@code #n} references are substituted and how often
 * the handler is called; the others are reductions that call their handler once.
 */
public enum Operation {
    /** Each {@code #n} is replaced by that answer's items joined with ", "; one handler call. */
    SELECT,
    /** One handler call per item of the list the sub-question refers to; the answers are concatenated. */
    PROJECT,
    /** One handler call per item; keeps the items whose answer is yes. */
    FILTER,
    COUNT,
    COMPARE,
    UNION,
    INTERSECT,
    CALC;

    /** The word written between parentheses in a program: {@code select}, {@code project}, ... */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The operation written {@code word}, exactly as in a program (lower case). */
    public static Optional<Operation> fromWord(String word) {
        return Arrays.stream(values()).filter(operation -> operation.word().equals(word)).findFirst();
    }

    /** "select, project, filter, ..." for error messages. */
    public static String allWords() {
        return Arrays.stream(values()).map(Operation::word).collect(Collectors.joining(", "));
    }
}
