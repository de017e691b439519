package io.synod.decomposer.reasoning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationTest {

    @TempDir
    Path directory;

    @Test
    void anAnswerMatchesAGoldFormIgnoringCaseAccentsAndPunctuation() {
        assertThat(Evaluation.matches("lome", List.of("Lomé"))).isTrue();
        assertThat(Evaluation.matches("Trinidad & Tobago.", List.of("Trinidad and Tobago"))).isTrue();
        assertThat(Evaluation.matches("Accra", List.of("Lomé", "Lome"))).isFalse();
        assertThat(Evaluation.matches("", List.of(""))).isFalse();
    }

    @Test
    void readingKeepsScalarFieldsForBreakdowns() throws Exception {
        Path file = directory.resolve("q.jsonl");
        Files.writeString(file, """
                {"id":"a","question":"What is the capital of Togo?","answers":["Lomé"],"family":"capital","hops":1}

                {"question":"Which currency does Togo use?","answers":["West African CFA franc"]}
                """);
        List<Evaluation.Question> questions = Evaluation.read(file);
        assertThat(questions).hasSize(2);
        assertThat(questions.get(0).fields()).containsEntry("family", "capital").containsEntry("hops", "1")
                .doesNotContainKey("answers");
        assertThat(questions.get(1).id()).isEqualTo("line-3");
    }

    @Test
    void aLineWithoutAnswersIsRejectedWithItsFileAndLine() throws Exception {
        Path file = directory.resolve("bad.jsonl");
        Files.writeString(file, "{\"question\":\"Capital of Togo?\",\"answers\":[\"Lomé\"]}\n{\"question\":\"x\"}\n");
        assertThatThrownBy(() -> Evaluation.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad.jsonl:2").hasMessageContaining("\"answers\"");
    }

    @Test
    void anEmptyFileIsRejected() throws Exception {
        Path file = directory.resolve("empty.jsonl");
        Files.writeString(file, "\n");
        assertThatThrownBy(() -> Evaluation.read(file)).hasMessageContaining("holds no questions");
    }

    @Test
    void theSummaryCountsHitsByFieldAndTakesLatencyPercentiles() {
        List<Evaluation.Result> results = List.of(
                result("1", true, 10, "capital", "1"), result("2", false, 20, "capital", "1"),
                result("3", true, 30, "border-capital", "2"), result("4", true, 40, "border-capital", "2"));
        Evaluation.Report report = Evaluation.summarise("auto", results);
        assertThat(report.overall().hitsAt1()).isEqualTo(0.75);
        assertThat(report.breakdowns().get("family").get("capital").hitsAt1()).isEqualTo(0.5);
        assertThat(report.breakdowns().get("hops").get("2")).isEqualTo(new Evaluation.Tally(2, 2));
        assertThat(report.p50Millis()).isEqualTo(20);
        assertThat(report.p95Millis()).isEqualTo(40);
    }

    private static Evaluation.Result result(String id, boolean hit, double millis, String family, String hops) {
        return new Evaluation.Result(id, "q", List.of("a"), hit ? "a" : "b", hit, millis, null, null, List.of(),
                Map.of("family", family, "hops", hops));
    }
}
