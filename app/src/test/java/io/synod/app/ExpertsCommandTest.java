// `synod experts list|select|eval` and `synod ask --experts routed` on the embedded default model.
package io.synod.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synod.kg.KnowledgeGraph;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpertsCommandTest {

    @TempDir Path directory;

    private static List<String> dev;

    record Result(int exitCode, String out, String err) {}

    @BeforeAll
    static void readDevSplit() throws Exception {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                KnowledgeGraph.class.getResourceAsStream("/io/synod/kg/world/questions/dev.jsonl"), StandardCharsets.UTF_8))) {
            dev = in.lines().toList();
        }
    }

    private static Result synod(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = SynodCommand.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(exitCode, out.toString(), err.toString());
    }

    private Path kshot(String... lines) throws Exception {
        return Files.writeString(directory.resolve("kshot.jsonl"), String.join("\n", lines) + "\n");
    }

    @Test
    void listShowsEveryShippedExpertWithItsCard() {
        Result run = synod("experts", "list");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("compose  (LoRA rank 16", "decompose  (", "direct  (", "walk  (")
                .contains("trained on:  LoRA rank 16").contains("exemplars:   16");
    }

    @Test
    void selectPrintsTheWholeTableTheGroupsAndTheChoice() throws Exception {
        Path file = kshot(dev.get(0), dev.get(300), dev.get(600), dev.get(900));
        Result run = synod("experts", "select", "--kshot", file.toString(), "-M", "3", "-N", "2");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).contains("4 examples", "7 candidates", "M = 3", "N = 2");
        assertThat(lines.get(2)).startsWith("direct ").contains("yes");
        assertThat(run.out()).contains("groups of 2, best first (3 in all)", "cosine similarity", "why: ");
        assertThat(lines.get(lines.size() - 1)).startsWith("chosen: ").contains("direct");

        Result json = synod("experts", "select", "--kshot", file.toString(), "--candidates", "walk,direct", "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertThat(report.path("candidates")).hasSize(2);
        assertThat(report.path("candidates").get(0).path("name").asText()).isEqualTo("direct");
        assertThat(report.path("chosen")).hasSize(2);
    }

    @Test
    void anEmptyOrMalformedKShotFileFailsNamingTheFileAndLine() throws Exception {
        Path empty = kshot("");
        Result none = synod("experts", "select", "--kshot", empty.toString());
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).contains(empty.toString(), "no examples");

        Path bad = kshot(dev.get(0), "{\"question\": \"What is the capital of Togo?\"}");
        Result malformed = synod("experts", "select", "--kshot", bad.toString());
        assertThat(malformed.exitCode()).isEqualTo(1);
        assertThat(malformed.err()).contains(bad + ":2", "\"answers\"");
    }

    @Test
    void anUnknownCandidateFailsNamingIt() throws Exception {
        Result run = synod("experts", "select", "--kshot", kshot(dev.get(0)).toString(), "--candidates", "walk,ghost");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("unknown expert 'ghost'");
    }

    @Test
    void evalReportsRoutingAccuracyLastAndWritesEveryDecision() throws Exception {
        Path questions = Files.writeString(directory.resolve("questions.jsonl"), String.join("\n",
                "{\"id\":\"a\",\"question\":\"What is the capital of Ghana?\",\"answers\":[\"Accra\"]}",
                "{\"id\":\"b\",\"question\":\"Which currency is used in the country whose capital is Lomé?\","
                        + "\"answers\":[\"West African CFA franc\"]}",
                "{\"id\":\"c\",\"question\":\"Which continent is Peru on?\",\"answers\":[\"South America\"]}"));
        Path report = directory.resolve("routing.json");
        Result run = synod("experts", "eval", "--questions", questions.toString(), "--every", "2", "--report",
                report.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).contains("2 questions", "every 2nd line", "top-1");
        assertThat(run.out()).contains("routed: hits@1", "gate time per sub-question", "by sub-task", "decompose");
        assertThat(lines.get(lines.size() - 1)).matches("routing_accuracy: [01]\\.\\d{4}");
        JsonNode written = new ObjectMapper().readTree(report.toFile());
        assertThat(written.path("decisions").size()).isGreaterThanOrEqualTo(3);
        assertThat(written.path("decisions").get(0).path("chosen").asText()).matches("[a-z]+:1\\.00");
        assertThat(written.path("routing_accuracy").asDouble())
                .isEqualTo(Double.parseDouble(lines.get(lines.size() - 1).substring("routing_accuracy: ".length())), org.assertj.core.api.Assertions.within(1e-4));
    }

    @Test
    void askWithRoutedExpertsShowsTheGateWeightsInTheTrace() throws Exception {
        Result run = synod("ask", "What is the capital of Ghana?", "--experts", "routed", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode answer = new ObjectMapper().readTree(run.out());
        List<String> adapters = new java.util.ArrayList<>();
        answer.path("trace").forEach(step -> {
            if (!step.path("adapter").isNull() && !step.path("adapter").isMissingNode()) {
                adapters.add(step.path("adapter").asText());
            }
        });
        assertThat(adapters).isNotEmpty().allSatisfy(adapter -> assertThat(adapter).matches("[a-z]+:1\\.00(,[a-z]+:1\\.00)*"));
    }

    @Test
    void aTopKOutOfRangeIsRefusedNamingTheOption() {
        Result run = synod("ask", "What is the capital of Ghana?", "--experts", "routed", "--top-k", "9");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--top-k 9", "between 1 and 8");
    }
}
