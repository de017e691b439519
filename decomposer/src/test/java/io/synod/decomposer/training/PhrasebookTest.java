// The training wordings never reproduce a phrasing the question set holds out of train.
package io.synod.decomposer.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PhrasebookTest {

    private static final Pattern HELD_OUT = Pattern.compile("^3\\. `(.+)` \\*held out\\*$");

    @Test
    void noWordingOfTheTrainingDataIsAHeldOutPhrasing() throws IOException {
        Set<String> heldOut = heldOutPhrasings();
        assertThat(heldOut).hasSizeGreaterThanOrEqualTo(30);

        List<String> templates = new ArrayList<>();
        Phrasebook.QUESTIONS.values().forEach(templates::addAll);
        Stream.of(Phrasebook.COUNT_BORDERS, Phrasebook.COUNT_LANGUAGES, Phrasebook.COUNT_CURRENCY,
                Phrasebook.COMPARE_AREA, Phrasebook.COMPARE_POPULATION, Phrasebook.YESNO_BORDERS,
                Phrasebook.YESNO_CAPITAL).forEach(templates::addAll);
        List<String> worded = new ArrayList<>();
        for (String template : templates) {
            worded.add(template);
            worded.addAll(Phrasebook.rewordings(template));
        }
        List<String> phrases = new ArrayList<>();
        Phrasebook.PHRASES.values().forEach(phrases::addAll);
        // questions about a thing, about a phrase, and about a phrase of a phrase (three hops)
        Set<String> generated = new HashSet<>();
        for (String question : worded) {
            generated.add(normalise(question));
            for (String phrase : phrases) {
                String twoHops = Phrasebook.fill(question, phrase);
                generated.add(normalise(twoHops));
                for (String inner : phrases) {
                    generated.add(normalise(Phrasebook.fill(twoHops, inner)));
                }
            }
        }
        assertThat(generated).hasSizeGreaterThan(10_000).doesNotContainAnyElementsOf(heldOut);
    }

    @Test
    void rewordingSwapsOneWholeWord() {
        assertThat(Phrasebook.rewordings("Which country is {X} in?")).contains("Which nation is {X} in?",
                "What country is {X} in?", "Which country is {X} within?");
        assertThat(Phrasebook.rewordings("Name the countries bordering {X}.")).contains("List the countries bordering {X}.")
                .noneMatch(text -> text.contains("nationries"));
        assertThat(Phrasebook.rewordings("{X} capital")).isEmpty();
        Random random = new Random(3);
        Set<String> drawn = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            drawn.add(Phrasebook.pickReworded(List.of("Which country is {X} in?"), random));
        }
        assertThat(drawn).contains("Which country is {X} in?").hasSizeGreaterThan(3);
    }

    /** The held-out (last) phrasing of every family, from the question set's README. */
    private static Set<String> heldOutPhrasings() throws IOException {
        Set<String> heldOut = new HashSet<>();
        try (InputStream in = PhrasebookTest.class.getResourceAsStream("/io/synod/kg/world/questions/README.md")) {
            assertThat(in).as("the question set's README on the class path").isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                Matcher matcher = HELD_OUT.matcher(line.strip());
                if (matcher.matches()) {
                    heldOut.add(normalise(matcher.group(1)));
                }
            }
        }
        return heldOut;
    }

    /** Lower case, slots as {}, quotes and final punctuation dropped, spaces collapsed. */
    private static String normalise(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("\\{[a-z]+}", "{}").replaceAll("[\"'\u201c\u201d]", "")
                .replaceAll("[?.!]+$", "").replaceAll("\\s+", " ").strip();
    }
}
