// `synod ask` and `synod eval` on the embedded default model and the bundled world graph.
package io.synod.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AskEvalCommandTest {

    @TempDir Path directory;

    record Result(int exitCode, String out, String err) {}

    private static Result synod(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = SynodCommand.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(exitCode, out.toString(), err.toString());
    }

    @Test
    void evalReportsHitsByFamilyAndWritesEveryPrediction() throws Exception {
        Path questions = directory.resolve("q.jsonl");
        Files.writeString(questions, String.join("\n",
                "{\"id\":\"a\",\"question\":\"What is the capital of Ghana?\",\"answers\":[\"Accra\"],\"family\":\"capital\",\"hops\":1}",
                "{\"id\":\"b\",\"question\":\"Is Togo landlocked?\",\"answers\":[\"no\"],\"family\":\"yesno-landlocked\",\"hops\":1}",
                "{\"id\":\"c\",\"question\":\"Which continent is Peru on?\",\"answers\":[\"Antarctica\"],\"family\":\"continent\",\"hops\":1}"));
        Path report = directory.resolve("report.json");
        Result run = synod("eval", "--questions", questions.toString(), "--workers", "2", "--report", report.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(lines.size() - 1)).isEqualTo("hits@1: 0.6667");
        assertThat(run.out()).contains("by family:", "capital", "latency p50");
        JsonNode results = new ObjectMapper().readTree(report.toFile()).path("results");
        assertThat(results).hasSize(3);
        assertThat(results.get(0).path("predicted").asText()).isEqualTo("Accra");
        assertThat(results.get(2).path("predicted").asText()).isEqualTo("South America");
        assertThat(results.get(2).path("hit").asBoolean()).isFalse();
    }

    @Test
    void askPrintsJsonWithTheProgramAndTrace() throws Exception {
        Result run = synod("ask", "Is Togo landlocked?", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode answer = new ObjectMapper().readTree(run.out());
        assertThat(answer.path("values").get(0).path("text").asText()).isEqualTo("no");
        assertThat(answer.path("program").asText()).contains("QS: [EOQ]");
        assertThat(answer.path("trace").size()).isGreaterThan(1);
    }

    @Test
    void anUnknownStrategyIsNamedWithTheChoices() {
        Result run = synod("ask", "What is the capital of Ghana?", "--strategy", "guess");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("unknown strategy 'guess'", "daslam");
    }
}
