// The cluster settings: off by default, and a bad role or seed node address is refused naming it.
package io.synod.actors.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

    private static ClusterSettings read(String settings) {
        Config config = ConfigFactory.parseString(settings).withFallback(ConfigFactory.defaultReference()).resolve();
        return ClusterSettings.from(config.getConfig("synod"), "default");
    }

    @Test
    void theDefaultIsNoClusterAndNoPekkoClusterSettings() {
        ClusterSettings settings = read("");
        assertThat(settings.enabled()).isFalse();
        assertThat(settings.pekkoConfig().isEmpty()).isTrue();
    }

    @Test
    void aSolverNodeRunsTheClusterProviderWithItsRoleSeedsAndTheSplitBrainResolver() {
        Config pekko = read("synod.cluster { enabled = on, role = solver, port = 25531, seed-nodes = [\"127.0.0.1:25530\"] }")
                .pekkoConfig();
        assertThat(pekko.getString("pekko.actor.provider")).isEqualTo("cluster");
        assertThat(pekko.getInt("pekko.remote.artery.canonical.port")).isEqualTo(25531);
        assertThat(pekko.getStringList("pekko.cluster.roles")).containsExactly("solver");
        assertThat(pekko.getStringList("pekko.cluster.seed-nodes")).containsExactly("pekko://synod@127.0.0.1:25530");
        assertThat(pekko.getString("pekko.cluster.downing-provider-class"))
                .isEqualTo("org.apache.pekko.cluster.sbr.SplitBrainResolverProvider");
        assertThat(pekko.getString("pekko.cluster.split-brain-resolver.active-strategy")).isEqualTo("keep-majority");
    }

    @Test
    void theServiceKeyNamesTheModel() {
        assertThat(read("").serviceKeyId()).isEqualTo("synod-solver-default");
        assertThat(read("synod.cluster.model-key = legal-7b").serviceKeyId()).isEqualTo("synod-solver-legal-7b");
    }

    @Test
    void anUnknownRoleIsRefusedNamingItAndTheRolesThereAre() {
        assertThatThrownBy(() -> read("synod.cluster.role = router"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("synod.cluster.role is 'router'; expected front, solver or both");
    }

    @Test
    void aSeedNodeThatIsNotAnAddressIsRefusedNamingIt() {
        assertThatThrownBy(() -> read("synod.cluster.seed-nodes = [\"localhost\"]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'localhost' is not a seed node address; expected HOST:PORT");
        assertThatThrownBy(() -> ClusterSettings.seedAddress("10.0.0.1:99999", "--seed-nodes"))
                .hasMessage("--seed-nodes: '10.0.0.1:99999' has port 99999; expected 1 to 65535");
        assertThatThrownBy(() -> ClusterSettings.seedAddress("akka://other@10.0.0.1:2552", "--seed-nodes"))
                .hasMessageContaining("--seed-nodes: 'akka://other@10.0.0.1:2552' is not a seed node address");
    }

    @Test
    void aSeedNodeMayBeGivenAsHostAndPortOrAsAPekkoAddress() {
        assertThat(ClusterSettings.seedAddress(" 10.0.0.7:25520 ", "x")).isEqualTo("pekko://synod@10.0.0.7:25520");
        assertThat(ClusterSettings.seedAddress("pekko://synod@node-2:25520", "x")).isEqualTo("pekko://synod@node-2:25520");
    }
}
