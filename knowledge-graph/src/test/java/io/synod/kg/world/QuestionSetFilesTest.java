// Checks the committed question files: valid JSON, unique ids, answers present, held-out phrasings kept out of train.
package io.synod.kg.world;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class QuestionSetFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HELD_OUT_PHRASING = QuestionFamily.PHRASINGS_PER_FAMILY - 1;
    private static final Map<DatasetSplit, List<JsonNode>> questions = new EnumMap<>(DatasetSplit.class);

    @BeforeAll
    static void readQuestionFiles() throws IOException {
        for (DatasetSplit split : DatasetSplit.values()) {
            questions.put(split, readLines("/io/synod/kg/world/questions/" + split.fileName()));
        }
    }

    private static List<JsonNode> readLines(String resource) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        try (InputStream stream = QuestionSetFilesTest.class.getResourceAsStream(resource)) {
            assertThat(stream).as(resource + " on the classpath").isNotNull();
            BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static List<JsonNode> all() {
        return questions.values().stream().flatMap(List::stream).toList();
    }

    @Test
    void everyLineHasTheFieldsOfTheFormat() {
        assertThat(all()).hasSizeBetween(6000, 12000).allSatisfy(question -> {
            assertThat(question.path("id").isTextual()).isTrue();
            assertThat(question.path("question").asText()).isNotBlank();
            assertThat(question.path("hops").asInt()).isBetween(1, 3);
            assertThat(question.path("family").asText()).isNotBlank();
            assertThat(question.path("phrasing").asInt()).isBetween(0, HELD_OUT_PHRASING);
        });
    }

    @Test
    void idsAreUniqueAcrossTheThreeFiles() {
        List<String> ids = all().stream().map(question -> question.path("id").asText()).toList();
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
    }

    @Test
    void everyQuestionHasANonEmptyAnswer() {
        assertThat(all()).allSatisfy(question -> {
            assertThat(question.path("answers").isArray()).isTrue();
            assertThat(question.path("answers")).isNotEmpty().allSatisfy(answer -> assertThat(answer.asText()).isNotBlank());
        });
    }

    @Test
    void heldOutPhrasingsNeverOccurInTrainButDoInDevAndTest() {
        assertThat(questions.get(DatasetSplit.TRAIN))
                .noneMatch(question -> question.path("phrasing").asInt() == HELD_OUT_PHRASING);
        assertThat(questions.get(DatasetSplit.DEV)).anyMatch(question -> question.path("phrasing").asInt() == HELD_OUT_PHRASING);
        assertThat(questions.get(DatasetSplit.TEST)).anyMatch(question -> question.path("phrasing").asInt() == HELD_OUT_PHRASING);
    }

    @Test
    void countriesAskedAboutInTestAreNeverTheTopicOfATrainQuestion() {
        Set<String> trainTopics = topicCountries(DatasetSplit.TRAIN);

        assertThat(topicCountries(DatasetSplit.TEST)).isNotEmpty().doesNotContainAnyElementsOf(trainTopics);
    }

    private static Set<String> topicCountries(DatasetSplit split) {
        return questions.get(split).stream()
                .map(question -> question.path("topic").asText())
                .filter(topic -> topic.startsWith(WorldVocabulary.NAMESPACE + "country/"))
                .collect(Collectors.toSet());
    }
}
