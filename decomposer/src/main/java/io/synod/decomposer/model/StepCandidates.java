// Every well-formed next line of a program for a question: the set the decomposition model's generation is
// constrained to.
package io.synod.decomposer.model;

import io.synod.decomposer.program.ExecutedStep;
import io.synod.solvers.reasoning.Value;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The lines the decomposer may write next: a graph sub-question ({@link SubQuestions}) about a span of the
 * question's words or an earlier answer ({@code select}, or {@code project} over an earlier list), a count of
 * an earlier answer, a comparison of two earlier answers by the names they were asked about, a membership or
 * equality test of an earlier answer against a span, or {@code [EOQ]}. The model chooses among them token by
 * token; this class only spells out what is well formed, so which relation, which name and which operation
 * are still the model's decisions.
 */
public final class StepCandidates {

    /** Longest span of words offered as a name. */
    static final int MAX_SPAN_WORDS = 6;

    private StepCandidates() {
    }

    public static List<String> lines(String question, List<ExecutedStep> done) {
        return lines(question, done, List.of());
    }

    /**
     * As {@link #lines(String, List)}, asking only about {@code names} (the names the graph knows in the
     * question, from entity linking; quoted in the question, they are offered with their quotes too) when there
     * are any, and about every run of words otherwise (a name the graph does not know as written).
     */
    public static List<String> lines(String question, List<ExecutedStep> done, List<String> names) {
        return lines(question, done, names, null);
    }

    /**
     * As {@link #lines(String, List, List)}; with {@code relationsAt} (the relations the graph offers at a set of
     * entity ids), a graph sub-question about an earlier answer is offered only for the relations its entities
     * have: not the capital of a city, the population of a country, nor any relation of a number or of nothing.
     */
    public static List<String> lines(String question, List<ExecutedStep> done, List<String> names,
                                     Function<List<String>, Collection<String>> relationsAt) {
        List<String> spans = names.isEmpty() ? spans(question) : withQuotes(question, names);
        Set<String> lines = new LinkedHashSet<>();
        for (String relation : SubQuestions.BY_RELATION.keySet()) {
            for (String span : spans) {
                lines.add("(select) [kg] " + SubQuestions.fill(relation, span));
            }
        }
        List<String> fillers = new ArrayList<>();
        for (ExecutedStep step : done) {
            String reference = "#" + step.number();
            fillers.add(SubQuestions.filler(step.step().question()).orElse(null));
            Collection<String> relations = relationsAt == null ? SubQuestions.BY_RELATION.keySet()
                    : relationsAt.apply(step.answer().stream().map(Value::id).filter(Objects::nonNull).toList());
            for (String relation : SubQuestions.BY_RELATION.keySet()) {
                if (relations.contains(relation)) {
                    lines.add("(select) [kg] " + SubQuestions.fill(relation, reference));
                    lines.add("(project) [kg] " + SubQuestions.fill(relation, reference));
                }
            }
            lines.add("(count) [count] " + reference);
            String askedAbout = fillers.get(fillers.size() - 1);
            Pattern selfTest = askedAbout == null || occurrences(question, askedAbout) > 1 ? null : nameWithin(askedAbout);
            for (String span : spans) {
                // whether the answer about a name holds that name, or a longer name around it, is no test of
                // anything ("Which countries border Denmark?", then "contains(#1, Denmark)"; "What is the capital of
                // Togo?", then "equals(#1, capital of Togo)"), unless the question names it twice ("Is Djibouti the
                // capital of Djibouti?")
                if (selfTest != null && selfTest.matcher(span).find()) {
                    continue;
                }
                lines.add("(compare) [compare] contains(" + reference + ", " + span + ")");
                lines.add("(compare) [compare] equals(" + reference + ", " + span + ")");
            }
        }
        for (int i = 0; i < done.size(); i++) {
            for (int j = i + 1; j < done.size(); j++) {
                if (fillers.get(i) != null && fillers.get(j) != null) {
                    for (String function : List.of("max", "min")) {
                        lines.add("(compare) [compare] " + function + "(" + fillers.get(i) + ": #" + (i + 1) + ", "
                                + fillers.get(j) + ": #" + (j + 1) + ")");
                    }
                }
            }
        }
        if (!done.isEmpty()) {
            lines.add(DecomposerPrompt.END);
        }
        // a step already taken is not offered again: it would answer the same, and the executor refuses a repeat
        for (ExecutedStep step : done) {
            lines.remove(step.step().format().replaceFirst("^QS: ", ""));
        }
        return List.copyOf(lines);
    }

    /** Finds {@code name} as whole words in a text (a span that is the name, or holds it), ignoring case. */
    static Pattern nameWithin(String name) {
        return Pattern.compile("(^|\\W)" + Pattern.quote(name) + "($|\\W)", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** How many times {@code text} occurs in {@code question}, ignoring case. */
    private static int occurrences(String question, String text) {
        String haystack = question.toLowerCase(java.util.Locale.ROOT);
        String needle = text.toLowerCase(java.util.Locale.ROOT);
        int count = 0;
        for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length())) {
            count++;
        }
        return count;
    }

    private static List<String> withQuotes(String question, List<String> names) {
        Set<String> spans = new LinkedHashSet<>();
        for (String name : names) {
            for (String quote : List.of("\"", "“")) {
                String close = quote.equals("“") ? "”" : quote;
                if (question.contains(quote + name + close)) {
                    spans.add(quote + name + close);
                }
            }
            spans.add(name);
        }
        return List.copyOf(spans);
    }

    /**
     * Runs of up to {@value #MAX_SPAN_WORDS} words of the question as typed, without the punctuation around them
     * (quotes kept when they enclose the run) and without a possessive 's.
     */
    static List<String> spans(String question) {
        String[] words = question.strip().split("\\s+");
        Set<String> spans = new LinkedHashSet<>();
        for (int start = 0; start < words.length; start++) {
            StringBuilder run = new StringBuilder();
            for (int end = start; end < words.length && end < start + MAX_SPAN_WORDS; end++) {
                if (end > start) {
                    run.append(' ');
                }
                run.append(words[end]);
                String trimmed = trim(run.toString());
                if (!trimmed.isEmpty()) {
                    spans.add(trimmed);
                    if (trimmed.endsWith("'s") || trimmed.endsWith("’s")) {
                        spans.add(trimmed.substring(0, trimmed.length() - 2));
                    }
                }
            }
        }
        return List.copyOf(spans);
    }

    private static String trim(String text) {
        int from = 0;
        int to = text.length();
        while (to > from && ",.?!;:)".indexOf(text.charAt(to - 1)) >= 0) {
            to--;
        }
        while (from < to && "(".indexOf(text.charAt(from)) >= 0) {
            from++;
        }
        String trimmed = text.substring(from, to);
        boolean quoted = trimmed.length() > 1 && trimmed.startsWith("\"") && trimmed.endsWith("\"");
        if (!quoted) {
            trimmed = trimmed.replaceAll("^[\"“]+|[\"”]+$", "");
        }
        return trimmed;
    }
}
