// openapi.yaml states exactly the routes the server serves: same paths, same methods, nothing more.
package io.synod.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OpenApiSpecTest {

    private static final List<String> METHODS = List.of("GET", "PUT", "POST", "DELETE", "PATCH");

    @RegisterExtension
    static final TestServer server = new TestServer("");

    /** Every (method, path) the description states. */
    private static Set<Routes.Endpoint> described() throws Exception {
        JsonNode spec;
        try (InputStream in = Routes.class.getResourceAsStream(Routes.OPENAPI_RESOURCE)) {
            spec = new YAMLMapper().readTree(in);
        }
        assertThat(spec.path("openapi").asText()).startsWith("3.");
        Set<Routes.Endpoint> endpoints = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<String> operations = path.getValue().fieldNames(); operations.hasNext(); ) {
                String method = operations.next().toUpperCase(Locale.ROOT);
                if (METHODS.contains(method)) {
                    endpoints.add(new Routes.Endpoint(method, path.getKey()));
                }
            }
        }
        return endpoints;
    }

    /** Sends {@code method path} (path parameters filled in) with the admin token, and an empty object to post. */
    private static HttpResponse<String> probe(String method, String path) {
        String concrete = path.replace("{name}", "legal");
        boolean body = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        return server.send(HttpRequest.newBuilder(server.uri(concrete))
                .method(method, body ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody())
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).build());
    }

    private static boolean routed(HttpResponse<String> response) {
        return response.statusCode() != 405 && !(response.statusCode() == 404 && response.body().contains("no route"));
    }

    @Test
    void theDescriptionStatesExactlyTheRoutesTheTreeDeclares() throws Exception {
        assertThat(described()).containsExactlyInAnyOrderElementsOf(server.http.routes().endpoints());
    }

    @Test
    void everyDescribedRouteIsServed() throws Exception {
        for (Routes.Endpoint endpoint : described()) {
            assertThat(routed(probe(endpoint.method(), endpoint.path()))).as(endpoint.toString()).isTrue();
        }
    }

    @Test
    void noOtherMethodIsServedOnADescribedPath() throws Exception {
        Set<Routes.Endpoint> described = described();
        for (Routes.Endpoint endpoint : described) {
            for (String method : METHODS) {
                if (!described.contains(new Routes.Endpoint(method, endpoint.path()))) {
                    assertThat(probe(method, endpoint.path()).statusCode()).as(method + " " + endpoint.path()).isEqualTo(405);
                }
            }
        }
    }
}
