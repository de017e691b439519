// GET /v1/kg/find and /v1/kg/neighbours over a real server and a small graph.
package io.synod.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KnowledgeRoutesTest {

    @RegisterExtension
    static final TestServer server = new TestServer("");

    @Test
    void findMatchesALabelWrittenWithoutItsAccent() {
        HttpResponse<String> response = server.get("/v1/kg/find?q=Lome&limit=3");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode found = TestServer.json(response);
        assertThat(found.path("query").asText()).isEqualTo("Lome");
        assertThat(found.path("entities").get(0).path("entity").path("label").asText()).isEqualTo("Lomé");
        assertThat(found.path("entities").get(0).has("score")).isTrue();
    }

    @Test
    void findWithoutATextIs400NamingTheParameter() {
        HttpResponse<String> response = server.get("/v1/kg/find");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(response).path("error").path("code").asText()).isEqualTo("invalid_parameter");
        assertThat(TestServer.json(response).path("error").path("message").asText()).contains("'q'");
    }

    @Test
    void aLimitThatIsNotANumberIs400NamingTheRange() {
        HttpResponse<String> response = server.get("/v1/kg/neighbours?entity=Togo&limit=many");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(response).path("error").path("message").asText())
                .contains("'limit'", "many", "from 1 to 1000");
    }

    @Test
    void neighboursListsAnEntitysEdgesEachWay() {
        HttpResponse<String> response = server.get("/v1/kg/neighbours?entity=Togo");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode neighbourhood = TestServer.json(response);
        assertThat(neighbourhood.path("entity").path("label").asText()).isEqualTo("Togo");
        assertThat(neighbourhood.path("out").path("total").asInt()).isEqualTo(3);
        List<String> others = new ArrayList<>();
        neighbourhood.path("out").path("edges").forEach(edge -> others.add(edge.path("other").path("label").asText()));
        assertThat(others).contains("Lomé", "Benin");
    }

    @Test
    void neighboursOfAnUnknownEntityIs404() {
        HttpResponse<String> response = server.get("/v1/kg/neighbours?entity=Atlantis");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(response).path("error").path("code").asText()).isEqualTo("not_found");
    }
}
