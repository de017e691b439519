// POST /v1/answer/stream over a real server: trace events as server-sent events in order, the answer last.
package io.synod.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AnswerStreamTest {

    @RegisterExtension
    static final TestServer server = new TestServer("");

    private static JsonNode data(ServerSentEvents event) throws IOException {
        return Json.MAPPER.readTree(event.data());
    }

    @Test
    void eachStepIsSentAsATraceEventInOrderAndTheAnswerLast() throws Exception {
        HttpResponse<String> response = server.post("/v1/answer/stream", "{\"question\": \"What is the capital of Togo?\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<ServerSentEvents> events = ServerSentEvents.read(response.body());
        assertThat(events).extracting(ServerSentEvents::event).containsExactly("trace", "trace", "answer");
        assertThat(events.subList(0, 2)).extracting(ServerSentEvents::id).containsExactly("1", "2");
        assertThat(data(events.get(0)).path("handler").asText()).isEqualTo("kg");
        assertThat(data(events.get(1)).path("path").get(0).asText()).contains("West African CFA franc");
        JsonNode answer = data(events.get(2));
        assertThat(answer.path("answer").asText()).isEqualTo("Togo");
        assertThat(answer.path("trace")).hasSize(2);
    }

    @Test
    void aQuestionRefusedBeforeItsFirstStepIsAJsonErrorWithItsStatus() {
        HttpResponse<String> response = server.post("/v1/answer/stream", "{\"question\": \"\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(response).path("error").path("code").asText()).isEqualTo("invalid_question");
    }

    @Test
    void aFailureAfterTheFirstStepEndsTheStreamWithAnErrorEvent() throws Exception {
        HttpResponse<String> response = server.post("/v1/answer/stream", "{\"question\": \"Will this crash?\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        List<ServerSentEvents> events = ServerSentEvents.read(response.body());
        assertThat(events.get(0).event()).isEqualTo("trace");
        ServerSentEvents last = events.get(events.size() - 1);
        assertThat(last.event()).isEqualTo("error");
        assertThat(data(last).path("error").path("code").asText()).isEqualTo("solver_failed");
    }

    @Test
    void aBadBodyIsRefusedAsOnTheAnswerRoute() {
        HttpResponse<String> response = server.post("/v1/answer/stream", "[]");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(response).path("error").path("message").asText())
                .contains("the request body is an array; expected a JSON object");
    }
}
