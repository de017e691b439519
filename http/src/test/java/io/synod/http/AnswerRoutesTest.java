// POST /v1/answer over a real server: the answer with its trace, and each way a request can be refused.
package io.synod.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AnswerRoutesTest {

    @RegisterExtension
    static final TestServer server = new TestServer("");

    private static JsonNode error(HttpResponse<String> response) {
        return TestServer.json(response).path("error");
    }

    @Test
    void aQuestionIsAnsweredWithItsProgramPathsTraceAndTimings() {
        HttpResponse<String> response = server.post("/v1/answer",
                "{\"question\": \"What is the capital of Togo?\", \"strategy\": \"ksl\", \"beam_width\": 2}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode answer = TestServer.json(response);
        assertThat(answer.path("answer").asText()).isEqualTo("Togo");
        assertThat(answer.path("known").asBoolean()).isTrue();
        assertThat(answer.path("strategy").asText()).isEqualTo("ksl");
        assertThat(answer.path("program").asText()).contains("QS: [EOQ]");
        assertThat(answer.path("paths").get(0).asText()).isEqualTo("Lomé -capital-of-> Togo");
        assertThat(answer.path("trace")).hasSize(2);
        JsonNode step = answer.path("trace").get(1);
        assertThat(step.path("id").asText()).isEqualTo("2");
        assertThat(step.path("handler").asText()).isEqualTo("kg");
        assertThat(step.path("adapter").asText()).isEqualTo("walk");
        assertThat(step.path("input").asText()).isEqualTo("hop 2");
        assertThat(step.path("output").asText()).isEqualTo("output 2");
        assertThat(step.path("start_ms").asDouble()).isEqualTo(2.0);
        assertThat(step.has("duration_ms")).isTrue();
        assertThat(step.path("error").isNull()).isTrue();
        assertThat(step.path("path").get(0).asText()).contains("West African CFA franc");
        assertThat(answer.path("timings").path("solve_ms").asDouble()).isEqualTo(3.0);
        assertThat(answer.path("timings").path("total_ms").asDouble()).isPositive();
    }

    @Test
    void aBodyThatIsNotJsonIs400InvalidJson() {
        HttpResponse<String> response = server.post("/v1/answer", "{\"question\": ");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("code").asText()).isEqualTo("invalid_json");
        assertThat(error(response).path("message").asText()).contains("not valid JSON", "line 1");
    }

    @Test
    void aBodyWithoutAQuestionIs400NamingTheField() {
        HttpResponse<String> response = server.post("/v1/answer", "{\"strategy\": \"auto\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("code").asText()).isEqualTo("invalid_field");
        assertThat(error(response).path("message").asText()).isEqualTo("the field 'question' is required: expected a string");
    }

    @Test
    void aQuestionOfTheWrongTypeIs400SayingWhatWasExpected() {
        HttpResponse<String> response = server.post("/v1/answer", "{\"question\": 42}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("message").asText()).isEqualTo("the field 'question' must be a string, got a number");
    }

    @Test
    void aWalkConfidenceOutOfRangeIs400NamingTheRange() {
        HttpResponse<String> response = server.post("/v1/answer",
                "{\"question\": \"What is the capital of Togo?\", \"walk_confidence\": 1.5}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("message").asText())
                .isEqualTo("the field 'walk_confidence' must be a number at least 0 and below 1, got a number 1.5");
    }

    @Test
    void aDeadlineThatIsNotAWholeNumberIs400NamingTheRange() {
        HttpResponse<String> response = server.post("/v1/answer", "{\"question\": \"Is Togo landlocked?\", \"deadline_ms\": \"soon\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("message").asText())
                .isEqualTo("the field 'deadline_ms' must be a whole number from 1 to 600000, got a string");
    }

    @Test
    void anUnknownStrategyIs400ListingTheStrategies() {
        HttpResponse<String> response = server.post("/v1/answer", "{\"question\": \"Is Togo landlocked?\", \"strategy\": \"guess\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("message").asText()).contains("'strategy'", "guess", "daslam");
    }

    @Test
    void anUnknownFieldIs400ListingTheFields() {
        HttpResponse<String> response = server.post("/v1/answer", "{\"question\": \"Is Togo landlocked?\", \"deadline\": 5}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("message").asText()).contains("unknown field 'deadline'", "deadline_ms");
    }

    @Test
    void anEmptyQuestionIs400InvalidQuestion() {
        HttpResponse<String> response = server.post("/v1/answer", "{\"question\": \"  \"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("code").asText()).isEqualTo("invalid_question");
        assertThat(error(response).path("message").asText()).contains("the question is empty");
    }

    @Test
    void aQuestionLongerThan300CharactersIs413() {
        HttpResponse<String> response = server.post("/v1/answer", "{\"question\": \"" + "why ".repeat(100) + "?\"}");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(error(response).path("code").asText()).isEqualTo("question_too_long");
        assertThat(error(response).path("message").asText()).contains("401 characters", "at most 300");
    }

    @Test
    void aBodyLongerThanTheLimitIs413() {
        HttpResponse<String> response = server.post("/v1/answer", "{\"question\": \"" + "x".repeat(5000) + "\"}");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(error(response).path("code").asText()).isEqualTo("payload_too_large");
        assertThat(error(response).path("message").asText()).contains("4096 bytes", "synod.http.max-body-bytes");
    }

    @Test
    void aChunkedBodyIsCutOffAtTheLimitWith413() {
        // no Content-Length: the server learns the size only as the chunks arrive
        HttpRequest request = server.request("/v1/answer").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofString("{\"question\": \"" + "x".repeat(5000) + "\"}")))
                .build();

        HttpResponse<String> response = server.send(request);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(error(response).path("code").asText()).isEqualTo("payload_too_large");
    }

    @Test
    void aSolverThatFailsTwiceIs500SolverFailedWithTheSteps() {
        HttpResponse<String> response = server.post("/v1/answer", "{\"question\": \"Will this crash?\"}");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(error(response).path("code").asText()).isEqualTo("solver_failed");
        assertThat(error(response).path("trace").size()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void badRequestsDoNotHarmTheOnesAroundThem() throws Exception {
        CompletableFuture<?>[] bad = new CompletableFuture<?>[6];
        for (int i = 0; i < bad.length; i++) {
            bad[i] = server.postAsync("/v1/answer", i % 2 == 0 ? "not json" : "{\"question\": [1, 2]}");
        }
        CompletableFuture.allOf(bad).get(30, TimeUnit.SECONDS);

        HttpResponse<String> good = server.post("/v1/answer", "{\"question\": \"What is the capital of Togo?\"}");
        assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
        assertThat(TestServer.json(good).path("answer").asText()).isEqualTo("Togo");
    }
}
