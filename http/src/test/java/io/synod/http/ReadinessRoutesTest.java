// While the model loads: /ready is 503 and questions are refused as not ready; then /ready is 200.
package io.synod.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReadinessRoutesTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.startLoading(new ScriptedSolvers().holdLoading(), "");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void readyIs503WithRetryAfterUntilTheModelIsLoadedThen200() throws Exception {
        HttpResponse<String> loading = server.get("/ready");
        assertThat(loading.statusCode()).isEqualTo(503);
        assertThat(loading.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(TestServer.json(loading).path("ready").asBoolean()).isFalse();
        assertThat(TestServer.json(loading).path("error").path("code").asText()).isEqualTo("not_ready");
        assertThat(server.get("/health").statusCode()).isEqualTo(200);

        server.solvers.finishLoading();
        server.synod.whenReady().toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertThat(server.get("/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void aQuestionAskedWhileTheModelLoadsIs503NotReady() {
        HttpResponse<String> response = server.post("/v1/answer", "{\"question\": \"What is the capital of Togo?\"}");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(TestServer.json(response).path("error").path("code").asText()).isEqualTo("not_ready");
    }
}
