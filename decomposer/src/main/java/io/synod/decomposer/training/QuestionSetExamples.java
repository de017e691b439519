// The train split of the bundled question set as training questions with programs: the families a walk or a
// count answers (comparisons and two-entity yes/no questions are left to the generated questions).
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
    private static final Map<String, String> COUNTED = Map.of(
            "count-borders", "borders", "count-languages", "language", "count-currency-countries", "currency-of");

    private QuestionSetExamples() {
    }

    static List<GeneratedQuestion> read(QuestionGenerator generator) {
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
                    made = Optional.empty();
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
