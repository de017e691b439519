// Consistent hashing of adapter names onto nodes, for adapter-affinity routing.
package io.synod.actors.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A hash ring (Karger et al. 1997) with {@value #POINTS} points per node: a key's preference order is the order in
 * which walking clockwise from the key's point meets the nodes. A node that joins or leaves moves only the keys
 * whose first node it is or was, so the adapters resident elsewhere stay where they are. The front combines this
 * order with the nodes' loads (Mirrokni, Thorup and Zadimoghaddam 2018, "consistent hashing with bounded loads":
 * a node busier than a bound is passed over for the next). Immutable and thread-safe.
 */
public final class HashRing {

    /** Points per node: with a few nodes, enough for each to own close to its share of the ring. */
    static final int POINTS = 64;

    private final TreeMap<Long, String> points = new TreeMap<>();
    private final int nodes;

    /** @param nodes the nodes' names (their addresses); order does not matter */
    public HashRing(Collection<String> nodes) {
        for (String node : nodes) {
            for (int i = 0; i < POINTS; i++) {
                points.put(hash(node + "#" + i), node);
            }
        }
        this.nodes = (int) nodes.stream().distinct().count();
    }

    /** Every node, the key's home first, then in the order the ring meets them after it. */
    public List<String> preference(String key) {
        List<String> order = new ArrayList<>(nodes);
        if (points.isEmpty()) {
            return order;
        }
        long start = hash(key);
        for (Map.Entry<Long, String> point : points.tailMap(start, true).entrySet()) {
            if (!order.contains(point.getValue()) && order.add(point.getValue()) && order.size() == nodes) {
                return order;
            }
        }
        for (Map.Entry<Long, String> point : points.headMap(start, false).entrySet()) {
            if (!order.contains(point.getValue()) && order.add(point.getValue()) && order.size() == nodes) {
                return order;
            }
        }
        return order;
    }

    /** The key's home node, or null on an empty ring. */
    public String home(String key) {
        List<String> order = preference(key);
        return order.isEmpty() ? null : order.get(0);
    }

    /** 64-bit FNV-1a over the UTF-8 bytes, then a final mix (splitmix64) so close strings spread over the ring. */
    static long hash(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 30;
        hash *= 0xbf58476d1ce4e5b9L;
        hash ^= hash >>> 27;
        hash *= 0x94d049bb133111ebL;
        return hash ^ (hash >>> 31);
    }
}
