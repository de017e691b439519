// A node of a cluster (here one node, role both, that formed its own) reports the cluster in /ready and /metrics.
package io.synod.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClusterRoutesTest {

    @RegisterExtension
    static final TestServer server = new TestServer("synod.cluster { enabled = on, role = both, port = 0 }");

    @Test
    void readyNamesTheMembersTheReachableSolversAndTheAdaptersOfEachNode() throws Exception {
        JsonNode cluster = awaitUp();

        assertThat(cluster.path("role").asText()).isEqualTo("both");
        assertThat(cluster.path("members").get(0).path("roles").toString()).contains("both");
        assertThat(cluster.path("members").get(0).path("address").asText()).isEqualTo(cluster.path("self").asText());
        assertThat(cluster.path("unreachable").size()).isZero();
        assertThat(cluster.path("reachable_solvers").asInt()).isEqualTo(1);
        assertThat(cluster.path("adapters_by_node").path(cluster.path("self").asText()).isArray()).isTrue();
    }

    @Test
    void metricsCountTheMembersAndTheReachableSolvers() throws Exception {
        awaitUp();
        String metrics = server.get("/metrics").body();

        assertThat(metrics).contains("synod_cluster_members 1.0", "synod_cluster_solvers_reachable 1.0",
                "synod_cluster_unreachable 0.0", "synod_cluster_adapter_loads_total 0.0",
                "synod_cluster_adapters_resident{node=\"pekko://synod@");
    }

    @Test
    void aQuestionIsAnsweredThroughTheClusterRouter() {
        HttpResponse<String> response = server.post("/v1/answer", "{\"question\": \"What is the capital of Togo?\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** The cluster part of /ready once this node is up (joining itself takes a moment). */
    private static JsonNode awaitUp() throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            JsonNode cluster = TestServer.json(server.get("/ready")).path("cluster");
            if (cluster.path("members").size() == 1 && cluster.path("members").get(0).path("status").asText().equals("up")) {
                return cluster;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the node did not come up: " + server.get("/ready").body());
    }
}
