// The adapter administration routes: bearer token, load by name from the catalogue, unload, and off without a token.
package io.synod.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AdminRoutesTest {

    @RegisterExtension
    static final TestServer server = new TestServer("");
    /** A second front end over the same Synod, configured without an admin token. */
    private static SynodHttp withoutToken;

    @BeforeAll
    static void startWithoutToken() {
        withoutToken = SynodHttp.start(server.synod, HttpSettings.from(ConfigFactory.parseString("synod.http.port = 0")),
                ConfigFactory.empty());
    }

    @AfterAll
    static void stopWithoutToken() {
        withoutToken.close();
    }

    private static String code(HttpResponse<String> response) {
        return TestServer.json(response).path("error").path("code").asText();
    }

    @Test
    void theRightTokenListsTheResidentAndAvailableAdapters() {
        HttpResponse<String> response = server.admin("GET", "/v1/adapters", null, TestServer.ADMIN_TOKEN);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(TestServer.json(response).path("resident")).extracting(node -> node.asText()).contains("walk");
        assertThat(TestServer.json(response).path("available")).extracting(node -> node.asText()).containsExactly("legal");
    }

    @Test
    void aMissingTokenIs401WithABearerChallenge() {
        HttpResponse<String> response = server.admin("GET", "/v1/adapters", null, null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
        assertThat(code(response)).isEqualTo("unauthorized");
    }

    @Test
    void aWrongTokenIs401InvalidToken() {
        HttpResponse<String> response = server.admin("POST", "/v1/adapters", "{\"name\": \"legal\"}", "guess");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value ->
                assertThat(value).startsWith("Bearer").contains("invalid_token"));
    }

    @Test
    void anAdapterOfTheCatalogueLoadsByNameAndUnloads() {
        HttpResponse<String> loaded = server.admin("POST", "/v1/adapters", "{\"name\": \"legal\"}", TestServer.ADMIN_TOKEN);
        assertThat(loaded.statusCode()).as(loaded.body()).isEqualTo(200);
        assertThat(TestServer.json(loaded).path("resident")).extracting(node -> node.asText()).contains("legal");

        HttpResponse<String> unloaded = server.admin("DELETE", "/v1/adapters/legal", null, TestServer.ADMIN_TOKEN);
        assertThat(unloaded.statusCode()).as(unloaded.body()).isEqualTo(200);
        assertThat(TestServer.json(unloaded).path("resident")).extracting(node -> node.asText()).doesNotContain("legal");
    }

    @Test
    void anAdapterTheCatalogueLacksIs404() {
        HttpResponse<String> response = server.admin("POST", "/v1/adapters", "{\"name\": \"astrology\"}", TestServer.ADMIN_TOKEN);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(code(response)).isEqualTo("not_found");
        assertThat(TestServer.json(response).path("error").path("message").asText()).contains("astrology", "legal");
    }

    @Test
    void unloadingAnAdapterThatIsNotResidentIs404() {
        HttpResponse<String> response = server.admin("DELETE", "/v1/adapters/astrology", null, TestServer.ADMIN_TOKEN);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(code(response)).isEqualTo("not_found");
    }

    @Test
    void aLoadWithoutANameIs400NamingTheField() {
        HttpResponse<String> response = server.admin("POST", "/v1/adapters", "{\"adapter\": \"legal\"}", TestServer.ADMIN_TOKEN);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(response).path("error").path("message").asText()).contains("'adapter'", "name");
    }

    private static final String KSHOT = "[{\"id\": \"q1\", \"question\": \"What is the capital of Togo?\", \"answers\": [\"Lomé\"]},"
            + " {\"prompt\": \"QC: x\\nQS:\", \"completion\": \" [EOQ]\"}]";

    @Test
    void expertSelectionAnswersTheWholeTableAndTheChosenGroup() {
        HttpResponse<String> response = server.admin("POST", "/v1/experts/select", "{\"kshot\": " + KSHOT
                + ", \"candidates\": [\"walk\", \"direct\", \"broken\", \"compose\"], \"m\": 3, \"n\": 2}",
                TestServer.ADMIN_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var body = TestServer.json(response);
        assertThat(body.path("examples").asInt()).isEqualTo(2);
        assertThat(body.path("m").asInt()).isEqualTo(3);
        assertThat(body.path("chosen")).hasSize(2).extracting(node -> node.asText()).contains("walk");
        assertThat(body.path("reason").asText()).contains("lowest combined rank");
        var candidates = body.path("candidates");
        assertThat(candidates).hasSize(4);
        assertThat(candidates.get(0).path("name").asText()).isEqualTo("walk");
        assertThat(candidates.get(0).path("exact_match").asDouble()).isEqualTo(0.75);
        assertThat(candidates.get(0).path("summed_rank").asInt()).isEqualTo(2);
        assertThat(candidates.get(3).path("name").asText()).isEqualTo("broken");
        assertThat(candidates.get(3).path("perplexity").isNull()).isTrue();
        assertThat(candidates.get(3).path("error").asText()).contains("failed to load");
        assertThat(body.path("groups")).hasSize(3);
        assertThat(body.path("similarity").path("walk").path("walk").asDouble()).isEqualTo(1.0);
    }

    @Test
    void aMalformedExampleIs400NamingIt() {
        HttpResponse<String> response = server.admin("POST", "/v1/experts/select",
                "{\"kshot\": [{\"question\": \"x?\", \"answers\": [\"y\"]}, {\"text\": \"no\"}]}", TestServer.ADMIN_TOKEN);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(code(response)).isEqualTo("invalid_field");
        assertThat(TestServer.json(response).path("error").path("message").asText()).contains("kshot[1]");

        HttpResponse<String> empty = server.admin("POST", "/v1/experts/select", "{\"kshot\": []}", TestServer.ADMIN_TOKEN);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(empty).path("error").path("message").asText()).contains("no examples");

        HttpResponse<String> missing = server.admin("POST", "/v1/experts/select", "{\"m\": 2}", TestServer.ADMIN_TOKEN);
        assertThat(TestServer.json(missing).path("error").path("message").asText()).contains("'kshot' is required");
    }

    @Test
    void anUnknownCandidateOrAGroupLargerThanMIs400() {
        HttpResponse<String> unknown = server.admin("POST", "/v1/experts/select",
                "{\"kshot\": " + KSHOT + ", \"candidates\": [\"walk\", \"astrology\"]}", TestServer.ADMIN_TOKEN);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(code(unknown)).isEqualTo("invalid_request");
        assertThat(TestServer.json(unknown).path("error").path("message").asText()).contains("unknown expert 'astrology'");

        HttpResponse<String> group = server.admin("POST", "/v1/experts/select",
                "{\"kshot\": " + KSHOT + ", \"m\": 2, \"n\": 3}", TestServer.ADMIN_TOKEN);
        assertThat(group.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(group).path("error").path("message").asText()).contains("'n'", "1 to 2");
    }

    @Test
    void withoutAConfiguredTokenTheAdminRoutesAre403AdminDisabled() {
        String base = withoutToken.baseUrl();
        for (String[] route : new String[][] {{"GET", "/v1/adapters"}, {"POST", "/v1/adapters"}, {"DELETE", "/v1/adapters/legal"},
                {"POST", "/v1/experts/select"}}) {
            HttpResponse<String> response = server.send(HttpRequest.newBuilder(URI.create(base + route[1]))
                    .method(route[0], HttpRequest.BodyPublishers.ofString("{\"name\": \"legal\"}"))
                    .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).build());
            assertThat(response.statusCode()).as(route[0] + " " + route[1]).isEqualTo(403);
            assertThat(code(response)).isEqualTo("admin_disabled");
            assertThat(TestServer.json(response).path("error").path("message").asText()).contains("synod.http.admin-token");
        }
    }
}
