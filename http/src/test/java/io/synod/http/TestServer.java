// A real server on a free loopback port over Synod with scripted solvers and a small graph, and a client for it.
package io.synod.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.synod.actors.Synod;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Synod over {@link ScriptedSolvers} and a five-triple graph, with the API bound on 127.0.0.1 and a free port.
 * One solver and no queue: a question asked while another runs is refused at once as overloaded. An adapter
 * catalogue offers one adapter, {@code legal}. Requests are sent with java.net.http, as any client would.
 *
 * <p>Registered as a JUnit extension ({@code @RegisterExtension static final TestServer server = new
 * TestServer("")}) it starts once for the test class, ready, and stops after it.
 */
final class TestServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    static final String ADMIN_TOKEN = "test-admin-token";

    final ScriptedSolvers solvers;
    private final String settings;
    private final boolean awaitReady;
    Synod synod;
    SynodHttp http;
    private Path directory;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** @param settings HOCON over the test defaults */
    TestServer(String settings) {
        this(new ScriptedSolvers(), settings, true);
    }

    private TestServer(ScriptedSolvers solvers, String settings, boolean awaitReady) {
        this.solvers = solvers;
        this.settings = settings;
        this.awaitReady = awaitReady;
    }

    /** Starts at once, without waiting for the solvers to load. */
    static TestServer startLoading(ScriptedSolvers solvers, String settings) {
        TestServer server = new TestServer(solvers, settings, false);
        server.start();
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void start() {
        try {
            directory = Files.createTempDirectory("synod-http-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Config config = ConfigFactory.parseString(settings)
                .withFallback(ConfigFactory.parseString("""
                        synod.solver.queue-size = 0
                        synod.http.port = 0
                        synod.http.admin-token = "%s"
                        synod.http.max-body-bytes = 4 KiB
                        """.formatted(ADMIN_TOKEN)))
                .withValue("synod.graph.source", ConfigValueFactory.fromAnyRef(graph(directory).toString()))
                .withValue("synod.adapters.directory", ConfigValueFactory.fromAnyRef(catalogue(directory).toString()));
        synod = Synod.start(config, solvers);
        try {
            http = SynodHttp.start(synod, config);
            if (awaitReady) {
                synod.whenReady().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            close();
            throw new IllegalStateException("the test server did not start", e);
        }
    }

    private static Path graph(Path directory) {
        return write(directory.resolve("togo.tsv"), """
                Togo\tcapital\tLomé
                Togo\tcurrency\tWest African CFA franc
                Togo\tborders\tBenin
                Benin\tcapital\tPorto-Novo
                Benin\tcurrency\tWest African CFA franc
                """);
    }

    /** A catalogue with one adapter, {@code legal} (its files are never read: the solvers are scripted). */
    private static Path catalogue(Path directory) {
        Path catalogue = directory.resolve("catalogue");
        write(catalogue.resolve("legal").resolve("adapter_config.json"), "{\"r\": 4, \"lora_alpha\": 8}");
        return catalogue;
    }

    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    URI uri(String path) {
        return URI.create(http.baseUrl() + path);
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    HttpResponse<String> post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** An admin request with {@code token} as the bearer token ({@code null}: no Authorization header). */
    HttpResponse<String> admin(String method, String path, String json, String token) {
        HttpRequest.Builder builder = request(path).method(method, json == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return send(builder.build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    CompletableFuture<HttpResponse<String>> postAsync(String path, String json) {
        return client.sendAsync(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (status " + response.statusCode() + "): " + response.body(), e);
        }
    }

    @Override
    public void close() {
        solvers.finishLoading();
        if (http != null) {
            http.close();
        }
        if (synod != null) {
            synod.close();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
