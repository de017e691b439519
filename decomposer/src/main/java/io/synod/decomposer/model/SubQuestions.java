// The decomposer's wording of each graph relation it asks about: one sub-question per relation, so that its
// programs are regular and the walk reads familiar text.
package io.synod.decomposer.model;

import java.util.Map;
import java.util.Optional;

/** Sub-question templates, {@code {X}} standing for a name from the question or an earlier answer ({@code #n}). */
public final class SubQuestions {

    public static final Map<String, String> BY_RELATION = Map.ofEntries(
            Map.entry("capital", "What is the capital of {X}?"),
            Map.entry("capital-of", "Which country has {X} as its capital?"),
            Map.entry("currency", "Which currency does {X} use?"),
            Map.entry("currency-of", "Which countries use {X}?"),
            Map.entry("language", "What are the official languages of {X}?"),
            Map.entry("region", "Which region is {X} in?"),
            Map.entry("subregion", "Which subregion is {X} in?"),
            Map.entry("continent", "Which continent is {X} on?"),
            Map.entry("borders", "Which countries border {X}?"),
            Map.entry("country", "Which country is {X} in?"),
            Map.entry("population", "What is the population of {X}?"),
            Map.entry("area", "What is the area of {X}?"),
            Map.entry("landlocked", "Is {X} landlocked?"),
            Map.entry("hypernym", "What is the hypernym of {X}?"),
            Map.entry("instance-hypernym", "What kind of thing is {X}?"));

    private SubQuestions() {
    }

    public static String fill(String relation, String x) {
        return BY_RELATION.get(relation).replace("{X}", x);
    }

    /** A relation's sub-question before its name, without the space: "What is the capital of". */
    public static String beforeName(String relation) {
        String template = BY_RELATION.get(relation);
        return template.substring(0, template.indexOf("{X}")).stripTrailing();
    }

    /** The relation and the name of a sub-question written from one of the templates. */
    public record Parsed(String relation, String filler) {
    }

    /** What a sub-question asks, if it was written from one of the templates. */
    public static Optional<Parsed> parse(String subQuestion) {
        for (Map.Entry<String, String> entry : BY_RELATION.entrySet()) {
            String template = entry.getValue();
            int at = template.indexOf("{X}");
            String prefix = template.substring(0, at);
            String suffix = template.substring(at + 3);
            if (subQuestion.length() > prefix.length() + suffix.length() && subQuestion.startsWith(prefix)
                    && subQuestion.endsWith(suffix)) {
                return Optional.of(new Parsed(entry.getKey(),
                        subQuestion.substring(prefix.length(), subQuestion.length() - suffix.length())));
            }
        }
        return Optional.empty();
    }

    /** The name a sub-question written from a template asks about, if it was written from one. */
    public static Optional<String> filler(String subQuestion) {
        return parse(subQuestion).map(Parsed::filler);
    }
}
