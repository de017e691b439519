// Finding and substituting the #n references of a sub-question.
package io.synod.decomposer.program;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code #n} references: {@code #1} refers to the answer of the first QS step, and so on. */
public final class References {

    /** A reference; the digits are taken whole, so {@code #12} is never read as {@code #1}. */
    public static final Pattern REFERENCE = Pattern.compile("#(\\d+)");

    private References() {
    }

    /** The step numbers {@code text} refers to, in order of first mention, without repeats. */
    public static List<Integer> find(String text) {
        var numbers = new LinkedHashSet<Integer>();
        Matcher matcher = REFERENCE.matcher(text);
        while (matcher.find()) {
            numbers.add(parseNumber(matcher.group(1)));
        }
        return List.copyOf(numbers);
    }

    /** {@code text} with each {@code #n} replaced by {@code replacement.apply(n)}. */
    public static String substitute(String text, IntFunction<String> replacement) {
        Matcher matcher = REFERENCE.matcher(text);
        var out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(parseNumber(matcher.group(1)))));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** {@code text} with each {@code #n} in {@code replacements} replaced; other references are kept. */
    public static String substitute(String text, Map<Integer, String> replacements) {
        return substitute(text, number -> replacements.getOrDefault(number, "#" + number));
    }

    /** The references of {@code text} that are not in {@code 1..available}. */
    public static List<Integer> unavailable(String text, int available) {
        var missing = new ArrayList<Integer>();
        for (int number : find(text)) {
            if (number < 1 || number > available) {
                missing.add(number);
            }
        }
        return missing;
    }

    private static int parseNumber(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException tooLong) {
            return Integer.MAX_VALUE;
        }
    }
}
