// Overload (503 with Retry-After) and deadlines (504 with the partial trace) over a real server.
package io.synod.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BackPressureRoutesTest {

    @RegisterExtension
    static final TestServer server = new TestServer("synod.http.retry-after = 2 s");

    @Test
    void aQuestionAskedWhileTheOnlySolverIsBusyIs503WithRetryAfter() throws Exception {
        CompletableFuture<HttpResponse<String>> first = server.postAsync("/v1/answer", "{\"question\": \"A slow one?\"}");
        server.solvers.awaitSlowStarted();

        HttpResponse<String> refused = server.post("/v1/answer", "{\"question\": \"What is the capital of Togo?\"}");
        server.solvers.releaseSlow();

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(TestServer.json(refused).path("error").path("code").asText()).isEqualTo("overloaded");
        assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void aQuestionPastItsDeadlineIs504WithTheStepsRecordedSoFar() throws Exception {
        HttpResponse<String> response = server.post("/v1/answer", "{\"question\": \"A slow one?\", \"deadline_ms\": 300}");
        server.solvers.awaitSlowStarted();
        server.solvers.releaseSlow();

        assertThat(response.statusCode()).isEqualTo(504);
        JsonNode error = TestServer.json(response).path("error");
        assertThat(error.path("code").asText()).isEqualTo("deadline_exceeded");
        assertThat(error.path("message").asText()).contains("deadline");
        assertThat(error.path("trace")).hasSize(1);
        assertThat(error.path("trace").get(0).path("id").asText()).isEqualTo("1");
    }
}
