// Every well-formed next line of a program for a question: the set the decomposition model's generation is
// constrained to.
package io.synod.decomposer.model;

import io.synod.decomposer.program.ExecutedStep;
import io.synod.solvers.reasoning.Value;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
        return next(question, done, names, relationsAt).lines();
    }

    /**
     * The lines allowed next ({@link #lines(String, List, List, Function)}) and the beginnings of the steps ruled
     * out although well formed (a graph sub-question about an earlier answer for a relation its entities lack, a
     * test of an answer against the name it was asked about, a step already taken). A ruled-out step is given by
     * its text before its argument when no allowed line begins with that text ({@code (compare) [compare]
     * equals(#1,} when no equality test of #1 is allowed: every test of #1, against any name, is ruled out), else
     * whole. No text of {@code ruledOut} begins an allowed line or another text of {@code ruledOut}.
     */
    public record Next(List<String> lines, List<String> ruledOut) {
        public Next {
            lines = List.copyOf(lines);
            ruledOut = List.copyOf(ruledOut);
        }
    }

    /** The allowed and the ruled-out next lines; see {@link #lines(String, List, List, Function)}. */
    public static Next next(String question, List<ExecutedStep> done, List<String> names,
                            Function<List<String>, Collection<String>> relationsAt) {
        Map<String, String> ruledOut = new LinkedHashMap<>(); // a ruled-out step, and its text before the argument
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
                for (String operation : List.of("(select) [kg] ", "(project) [kg] ")) {
                    String line = operation + SubQuestions.fill(relation, reference);
                    if (relations.contains(relation)) {
                        lines.add(line);
                    } else {
                        ruledOut.put(line, operation + SubQuestions.beforeName(relation));
                    }
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
                boolean test = selfTest == null || !selfTest.matcher(span).find();
                for (String function : List.of("contains", "equals")) {
                    String head = "(compare) [compare] " + function + "(" + reference + ",";
                    if (test) {
                        lines.add(head + " " + span + ")");
                    } else {
                        ruledOut.put(head + " " + span + ")", head);
                    }
                }
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
            String taken = step.step().format().replaceFirst("^QS: ", "");
            lines.remove(taken);
            ruledOut.put(taken, taken);
        }
        return new Next(List.copyOf(lines), beginnings(ruledOut, lines));
    }

    /**
     * The texts that begin ruled-out steps only: a step's text before its argument when no allowed line begins
     * with it, else the whole step; none that begins an allowed line ("(count) [count] #1" after ten steps) or
     * another text (the shorter covers it).
     */
    private static List<String> beginnings(Map<String, String> ruledOut, Set<String> allowed) {
        Set<String> texts = new LinkedHashSet<>();
        for (Map.Entry<String, String> step : ruledOut.entrySet()) {
            if (allowed.contains(step.getKey())) {
                continue;
            }
            String head = step.getValue();
            texts.add(allowed.stream().anyMatch(line -> line.startsWith(head)) ? step.getKey() : head);
        }
        return texts.stream().filter(text -> allowed.stream().noneMatch(line -> line.startsWith(text)))
                .filter(text -> texts.stream().noneMatch(other -> !other.equals(text) && text.startsWith(other)))
                .toList();
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
