// The train split of the bundled question set as training questions with programs, built on the graph.
package io.synod.decomposer.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synod.kg.KnowledgeGraph;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code questions/train.jsonl} (never dev or test) and builds each question's program on the graph. */
final class QuestionSetExamples {

    private static final String TRAIN = "/io/synod/kg/world/questions/train.jsonl";
    private static final String WORLD = "http://synod.io/world/";
    private static final Map<String, String> COUNTED = Map.of(
            "count-borders", "borders", "count-languages", "language", "count-currency-countries", "currency-of");

    private QuestionSetExamples() {
    }

    /**
     * Comparisons and two-entity yes/no questions name both entities in their id ({@code family:a:b}, IRIs
     * relative to the world namespace): the program compares them, or tests the second against the first's
     * neighbours or capital. Which of max or min a comparison needs follows from the gold winner.
     */
    private static Optional<GeneratedQuestion> twoEntities(QuestionGenerator generator, JsonNode row, String family,
                                                           String question, java.util.Set<String> trainCountries) {
        String[] parts = row.path("id").asText().split(":");
        if (parts.length != 3) {
            return Optional.empty();
        }
        String first = WORLD + parts[1];
        String second = WORLD + parts[2];
        if (family.equals("yesno-capital")) {
            // id: the city asked about, then the country whose capital it may be; that country may be of any split
            // (the question set allows it), and its capital is not looked up unless it is a train country
            if (!trainCountries.contains(second)) {
                return Optional.empty();
            }
            return generator.membershipProgram(question, second, generator.surfaceOf(question, second), "capital",
                    first, generator.surfaceOf(question, first));
        }
        if (family.equals("yesno-borders")) {
            return generator.membershipProgram(question, first, generator.surfaceOf(question, first), "borders",
                    second, generator.surfaceOf(question, second));
        }
        String relation = row.path("path").asText();
        String firstSurface = generator.surfaceOf(question, first);
        String secondSurface = generator.surfaceOf(question, second);
        if (firstSurface == null || secondSurface == null) {
            return Optional.empty();
        }
        // name them in the order the question does
        if (question.indexOf(secondSurface) < question.indexOf(firstSurface)) {
            String swap = first;
            first = second;
            second = swap;
            String swapSurface = firstSurface;
            firstSurface = secondSurface;
            secondSurface = swapSurface;
        }
        String winner = row.path("gold").path(0).asText();
        Optional<GeneratedQuestion> larger = generator.compareProgram(question, first, firstSurface, second,
                secondSurface, relation, false);
        boolean largerWins = larger.isPresent() && winner.equals(larger.get().answer().get(0).id());
        return largerWins ? larger : generator.compareProgram(question, first, firstSurface, second, secondSurface,
                relation, true);
    }

    static List<GeneratedQuestion> read(QuestionGenerator generator, java.util.Set<String> trainCountries) {
        List<GeneratedQuestion> questions = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = KnowledgeGraph.class.getResourceAsStream(TRAIN)) {
            if (in == null) {
                throw new IllegalStateException("the bundled question file " + TRAIN + " is missing");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                JsonNode row = json.readTree(line);
                String family = row.path("family").asText();
                String question = row.path("question").asText();
                String topic = row.path("topic").asText();
                String surface = generator.surfaceOf(question, topic);
                Optional<GeneratedQuestion> made;
                if (COUNTED.containsKey(family)) {
                    made = generator.countProgram(question, topic, surface, COUNTED.get(family));
                } else if (family.startsWith("compare-") || family.equals("yesno-borders") || family.equals("yesno-capital")) {
                    made = twoEntities(generator, row, family, question, trainCountries);
                } else {
                    made = generator.program(question, topic, surface, Arrays.asList(row.path("path").asText().split(" ")));
                }
                made.ifPresent(questions::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + TRAIN, e);
        }
        return questions;
    }
}
