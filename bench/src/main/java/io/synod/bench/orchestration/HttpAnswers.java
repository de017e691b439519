// The HTTP row of the orchestration benchmark: Synod's HTTP API on loopback over the same instant-solver Synod,
// asked with java.net.http, so that a question's figures include the server, JSON and the client.
package io.synod.bench.orchestration;

import com.typesafe.config.Config;
import io.synod.actors.Synod;
import io.synod.http.SynodHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/answer} of a {@link SynodHttp} bound on 127.0.0.1 and a free port, asked asynchronously
 * ({@link HttpClient#sendAsync}, HTTP/1.1, one connection per question in flight). A question whose status is not
 * 200 fails its future. Closing stops the server, not the {@link Synod}.
 */
final class HttpAnswers implements AutoCloseable {

    private final SynodHttp server;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final URI answer;

    /** @param config the benchmark's config; its {@code synod.http} section, if any, under a loopback port 0 */
    HttpAnswers(Synod synod, Config config) {
        server = SynodHttp.start(synod, config);
        answer = URI.create(server.baseUrl() + "/v1/answer");
    }

    /** Posts the question; completes with the status (200), or fails with the status and body. */
    CompletableFuture<Integer> ask(String question) {
        if (question.indexOf('"') >= 0 || question.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("the benchmark's questions need no JSON escapes: " + question);
        }
        HttpRequest request = HttpRequest.newBuilder(answer)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"question\":\"" + question + "\"}"))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("POST /v1/answer answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.statusCode();
        });
    }

    @Override
    public void close() {
        server.close();
    }
}
