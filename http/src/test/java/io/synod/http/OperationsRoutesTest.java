// /health, /ready, /metrics, /openapi.yaml, and JSON answers to unknown routes and methods.
package io.synod.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OperationsRoutesTest {

    @RegisterExtension
    static final TestServer server = new TestServer("");

    @Test
    void healthSaysUp() {
        HttpResponse<String> response = server.get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestServer.json(response).path("status").asText()).isEqualTo("up");
    }

    @Test
    void readyIs200OnceTheGraphAndSolversAreLoaded() {
        HttpResponse<String> response = server.get("/ready");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestServer.json(response).path("ready").asBoolean()).isTrue();
        assertThat(TestServer.json(response).path("solvers_ready").asInt()).isEqualTo(1);
        assertThat(TestServer.json(response).has("error")).isFalse();
    }

    @Test
    void metricsHoldTheRequestTimerAndSynodsFiguresInPrometheusText() {
        server.post("/v1/answer", "{\"question\": \"What is the capital of Togo?\"}");
        server.get("/health");

        HttpResponse<String> response = server.get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/plain").contains("version=0.0.4"));
        assertThat(response.body()).contains(
                "http_server_requests_seconds_count{method=\"POST\",route=\"/v1/answer\",status=\"200\"}",
                "http_server_requests_seconds_bucket{method=\"GET\",route=\"/health\",status=\"200\",le=",
                "synod_sessions_in_flight ",
                "synod_queue_depth ",
                "synod_adapters_resident 4.0",
                "synod_ready 1.0",
                "synod_model_calls_total ",
                "synod_questions_asked_total ",
                "synod_questions_total{outcome=\"answered\"}",
                "synod_questions_total{outcome=\"failed\"}",
                "synod_questions_total{outcome=\"refused\"}",
                "synod_solver_failures_total ",
                "jvm_memory_used_bytes");
        assertThat(response.body()).doesNotContain("synod_questions_total{outcome=\"answered\"} 0.0");
    }

    @Test
    void anUnknownRouteIsAJson404CountedAsUnmatched() {
        HttpResponse<String> response = server.get("/v2/answer");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(response).path("error").path("code").asText()).isEqualTo("not_found");
        assertThat(TestServer.json(response).path("error").path("message").asText()).contains("GET /v2/answer");
        assertThat(server.get("/metrics").body()).contains("route=\"unmatched\",status=\"404\"");
    }

    @Test
    void aWrongMethodIsAJson405WithAllow() {
        HttpResponse<String> response = server.send(server.request("/v1/answer").DELETE().build());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertThat(TestServer.json(response).path("error").path("code").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void theOpenApiDescriptionIsServedAsYaml() {
        HttpResponse<String> response = server.send(server.request("/openapi.yaml").GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/yaml"));
        assertThat(response.body()).contains("openapi: 3.", "/v1/answer/stream:");
    }

    @Test
    void aRequestThatIsNotHttpDoesNotStopTheServer() throws Exception {
        try (Socket socket = new Socket(server.http.address().getAddress(), server.http.address().getPort())) {
            socket.getOutputStream().write("NONSENSE \u0001\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String reply = new String(socket.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
            assertThat(reply).matches("HTTP/1.1 [45][0-9][0-9]");
        }

        assertThat(server.send(HttpRequest.newBuilder(server.uri("/health")).build()).statusCode()).isEqualTo(200);
    }
}
