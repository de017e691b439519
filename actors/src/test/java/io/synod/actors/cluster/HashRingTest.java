// Adapter names hash onto nodes consistently: stable homes, a fair spread, little movement when a node leaves.
package io.synod.actors.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class HashRingTest {

    private static final List<String> NODES = List.of("pekko://synod@10.0.0.1:25520", "pekko://synod@10.0.0.2:25520",
            "pekko://synod@10.0.0.3:25520");

    @Test
    void aKeysPreferenceListsEveryNodeOnceAndDoesNotDependOnTheOrderNodesAreGivenIn() {
        HashRing ring = new HashRing(NODES);
        HashRing reversed = new HashRing(List.of(NODES.get(2), NODES.get(0), NODES.get(1)));
        for (int i = 0; i < 50; i++) {
            String key = "adapter-" + i;
            assertThat(ring.preference(key)).containsExactlyInAnyOrderElementsOf(NODES);
            assertThat(reversed.preference(key)).isEqualTo(ring.preference(key));
        }
    }

    @Test
    void keysSpreadOverTheNodes() {
        HashRing ring = new HashRing(NODES);
        Map<String, Integer> homes = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            homes.merge(ring.home("adapter-" + i), 1, Integer::sum);
        }
        assertThat(homes.values()).allSatisfy(count -> assertThat(count).isBetween(600, 1400));
    }

    @Test
    void whenANodeLeavesOnlyTheKeysItWasHomeForMove() {
        HashRing before = new HashRing(NODES);
        HashRing after = new HashRing(NODES.subList(0, 2));
        for (int i = 0; i < 500; i++) {
            String key = "adapter-" + i;
            String home = before.home(key);
            if (!home.equals(NODES.get(2))) {
                assertThat(after.home(key)).isEqualTo(home);
            } else {
                // the next node on the ring takes it over
                assertThat(after.home(key)).isEqualTo(before.preference(key).get(1));
            }
        }
    }

    @Test
    void anEmptyRingHasNoHome() {
        assertThat(new HashRing(List.of()).home("walk")).isNull();
    }
}
