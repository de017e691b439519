// `bin/synod serve` end to end: the real server on a free loopback port, with the shipped default model and the
// bundled graph, asked over HTTP as a client would; then stopped with SIGTERM.
package io.synod.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeEndToEndTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final String QUESTION = "Which currency is used in the country whose capital is Lomé?";
    private static final String TOKEN = "end-to-end-admin-token";
    private static final Pattern LISTENING = Pattern.compile("synod: listening on (http://\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<String> output = new CopyOnWriteArrayList<>();
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static Process server;
    private static Thread reader;
    private static Path errors;
    private static String base;

    /** Starts one server for the class (the graph takes seconds to load) and waits until it is ready. */
    @BeforeAll
    static void start() throws Exception {
        Path config = Files.createTempFile("synod-serve", ".conf");
        Files.writeString(config, "synod.http.admin-token = \"" + TOKEN + "\"\n");
        errors = Files.createTempFile("synod-serve-err", ".txt");
        server = new ProcessBuilder(ROOT.resolve("bin/synod").toString(), "serve", "--port", "0", "--config", config.toString())
                .directory(ROOT.toFile()).redirectError(errors.toFile()).start();
        reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(output::add);
            } catch (IOException e) {
                output.add("(reading the server's output failed: " + e + ")");
            }
        }, "serve-output");
        reader.setDaemon(true);
        reader.start();
        // bin/synod may build the jar first, then the graph and model load
        String listening = awaitLine(line -> line.startsWith("synod: listening on"), Duration.ofMinutes(5));
        Matcher url = LISTENING.matcher(listening);
        assertThat(url.find()).as(listening).isTrue();
        base = url.group(1);
        awaitLine(line -> line.equals("synod: ready"), Duration.ofMinutes(2));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (errors != null) {
            Files.deleteIfExists(errors);
        }
    }

    private static String awaitLine(Predicate<String> wanted, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        boolean exited = false;
        while (System.nanoTime() < end && !exited) {
            exited = !server.isAlive();
            if (exited) {
                reader.join(10_000);  // the last lines may still be on their way
            }
            for (String line : output) {
                if (wanted.test(line)) {
                    return line;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the server did not print the line awaited; output: " + output + "; errors: "
                + Files.readString(errors, StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> adapters(String token) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + "/v1/adapters")).timeout(Duration.ofMinutes(1))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theReadmeQuestionIsAnsweredWithItsProgramAndTrace() throws Exception {
        HttpResponse<String> response = post("/v1/answer", JSON.writeValueAsString(Map.of("question", QUESTION)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("answer").asText()).isEqualTo("West African CFA franc");
        assertThat(answer.path("program").asText()).contains("QS: (select) [kg]", "QS: [EOQ]");
        assertThat(answer.path("paths").toString()).contains("Togo");
        assertThat(answer.path("trace").size()).isGreaterThan(1);
        assertThat(answer.path("trace").get(0).path("handler").asText()).isEqualTo("kg");
    }

    @Test
    void theStreamSendsEachStepThenTheAnswer() throws Exception {
        HttpResponse<String> response = post("/v1/answer/stream", JSON.writeValueAsString(Map.of("question", QUESTION)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        // each event is a block of "field:value" lines, blocks apart by a blank line
        List<String> events = new ArrayList<>();
        String lastData = null;
        for (String block : response.body().split("\n\n")) {
            for (String line : block.split("\n")) {
                if (line.startsWith("event:")) {
                    events.add(line.substring(6).strip());
                } else if (line.startsWith("data:")) {
                    lastData = line.substring(5);
                }
            }
        }
        assertThat(events).hasSizeGreaterThan(2);
        assertThat(events.subList(0, events.size() - 1)).containsOnly("trace");
        assertThat(events.get(events.size() - 1)).isEqualTo("answer");
        assertThat(JSON.readTree(lastData).path("answer").asText()).isEqualTo("West African CFA franc");
    }

    @Test
    void theAdminTokenListsTheAdaptersAndAWrongOneIs401() throws Exception {
        HttpResponse<String> listed = adapters(TOKEN);
        HttpResponse<String> refused = adapters("not-the-token");

        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(JSON.readTree(listed.body()).path("resident").toString()).contains("decompose", "walk");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void sigtermStopsTheServerGracefully() throws Exception {
        server.toHandle().destroy();  // SIGTERM; Process.destroy() would also close the pipe of its output

        assertThat(server.waitFor(90, TimeUnit.SECONDS)).as("the server exits after SIGTERM").isTrue();
        awaitLine(line -> line.equals("synod: stopped"), Duration.ofSeconds(10));
    }
}
