// The settings under `synod.cluster { }`: whether this node joins a Pekko Cluster, its role, address and seeds.
package io.synod.actors.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How this node takes part in a cluster. Off by default: one JVM holds the front and the solvers, with no
 * Pekko Cluster at all (exactly as a single machine runs). On, the node joins the cluster of its seed nodes with
 * its role; {@link #pekkoConfig()} gives the Pekko settings that makes it a cluster node. Immutable.
 *
 * @param enabled    whether this node joins a cluster
 * @param role       what it runs: the front (HTTP, sessions, decomposer, router), solvers, or both
 * @param hostname   the address other nodes reach this one at
 * @param port       the cluster (Artery) port; 0 picks a free one
 * @param seedNodes  the nodes to join through, as Pekko addresses ({@code pekko://synod@host:port}); empty: this
 *                   node starts a cluster of its own (it is the first)
 * @param routing    how the front picks a solver for a job
 * @param loadFactor with affinity routing, how much busier than the average a node may be and still get the
 *                   jobs of the adapters it is home for (bounded-load consistent hashing)
 * @param modelKey   the base model the solvers serve: the Receptionist's service key ({@code synod-solver-<key>})
 * @param downAfter  how long a node stays unreachable before the split-brain resolver decides (stable-after)
 * @param failureDetectionPause how long heartbeats may pause before a node is marked unreachable
 */
public record ClusterSettings(boolean enabled, Role role, String hostname, int port, List<String> seedNodes,
                              Routing routing, double loadFactor, String modelKey, Duration downAfter,
                              Duration failureDetectionPause) {

    /** The actor system's name: every node of a cluster must share it. */
    public static final String SYSTEM_NAME = "synod";

    private static final Pattern HOST_PORT = Pattern.compile("([^:/@\\s]+):(\\d{1,5})");
    private static final Pattern PEKKO_ADDRESS = Pattern.compile("pekko://" + SYSTEM_NAME + "@([^:/@\\s]+):(\\d{1,5})");

    public ClusterSettings {
        seedNodes = List.copyOf(seedNodes);
    }

    /** What a node runs. */
    public enum Role {
        /** The HTTP API, the sessions, the decomposer and the router to the solvers of other nodes. */
        FRONT,
        /** Solver actors, registered with the Receptionist for the fronts to find. */
        SOLVER,
        /** Both: the single-machine layout, here as a cluster node. */
        BOTH;

        public boolean front() {
            return this != SOLVER;
        }

        public boolean solvers() {
            return this != FRONT;
        }

        /** The name used in configuration and as the Pekko Cluster role. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException naming {@code source} and the roles there are */
        public static Role parse(String text, String source) {
            return switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "front" -> FRONT;
                case "solver" -> SOLVER;
                case "both" -> BOTH;
                default -> throw new IllegalArgumentException(source + " is '" + text + "'; expected front, solver or both");
            };
        }
    }

    /** How the front picks a solver for a job. */
    public enum Routing {
        /** Prefer the nodes where the job's adapters are resident, then their home node on a hash ring, within a load bound. */
        AFFINITY,
        /** The next solver in turn that can take a job (the comparison the benchmark makes). */
        ROUND_ROBIN;

        static Routing parse(String text) {
            return switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "affinity" -> AFFINITY;
                case "round-robin" -> ROUND_ROBIN;
                default -> throw new IllegalArgumentException("synod.cluster.routing is '" + text
                        + "'; expected affinity or round-robin");
            };
        }
    }

    /** The settings of a node that joins no cluster. */
    public static ClusterSettings standalone() {
        return new ClusterSettings(false, Role.BOTH, "127.0.0.1", 25520, List.of(), Routing.AFFINITY, 1.25, "default",
                Duration.ofSeconds(7), Duration.ofSeconds(3));
    }

    /**
     * Reads {@code synod.cluster}.
     *
     * @param synod     the {@code synod} section
     * @param modelName the served model's name, the service key when {@code model-key} is empty
     * @throws IllegalArgumentException naming the key and the value that is not acceptable
     */
    public static ClusterSettings from(Config synod, String modelName) {
        Config cluster = synod.getConfig("cluster");
        Role role = Role.parse(cluster.getString("role"), "synod.cluster.role");
        String hostname = cluster.getString("hostname").strip();
        if (hostname.isEmpty()) {
            throw new IllegalArgumentException("synod.cluster.hostname is empty; give the address other nodes reach this one at");
        }
        int port = cluster.getInt("port");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("synod.cluster.port is " + port + "; expected 0 to 65535");
        }
        List<String> seeds = new ArrayList<>();
        for (String seed : cluster.getStringList("seed-nodes")) {
            seeds.add(seedAddress(seed, "synod.cluster.seed-nodes"));
        }
        double loadFactor = cluster.getDouble("load-factor");
        if (!(loadFactor >= 1.0)) {
            throw new IllegalArgumentException("synod.cluster.load-factor is " + loadFactor + "; it must be at least 1.0");
        }
        String key = cluster.getString("model-key").strip();
        if (key.isEmpty()) {
            key = modelName;
        }
        if (!key.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("synod.cluster.model-key is '" + key
                    + "'; expected letters, digits, '.', '_' or '-'");
        }
        return new ClusterSettings(cluster.getBoolean("enabled"), role, hostname, port, seeds,
                Routing.parse(cluster.getString("routing")), loadFactor, key, positive(cluster, "down-after"),
                positive(cluster, "failure-detection-pause"));
    }

    /**
     * A seed node as a Pekko address: {@code host:port}, or {@code pekko://synod@host:port} as it is.
     *
     * @param source what the value came from, named in the error ({@code --seed-nodes}, a config key)
     * @throws IllegalArgumentException naming the value and the forms accepted
     */
    public static String seedAddress(String seed, String source) {
        String text = seed.strip();
        Matcher matcher = HOST_PORT.matcher(text);
        if (!matcher.matches()) {
            matcher = PEKKO_ADDRESS.matcher(text);
        }
        if (!matcher.matches()) {
            throw new IllegalArgumentException(source + ": '" + seed + "' is not a seed node address; expected HOST:PORT"
                    + " (127.0.0.1:25520) or pekko://" + SYSTEM_NAME + "@HOST:PORT");
        }
        int port = Integer.parseInt(matcher.group(2));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(source + ": '" + seed + "' has port " + port + "; expected 1 to 65535");
        }
        return "pekko://" + SYSTEM_NAME + "@" + matcher.group(1) + ":" + port;
    }

    /** The Receptionist's key of this model's solvers. */
    public String serviceKeyId() {
        return "synod-solver-" + modelKey;
    }

    /**
     * The Pekko settings of a cluster node: the cluster provider, Artery on {@link #hostname}:{@link #port}, the
     * seed nodes, the role, the split-brain resolver (keep-majority: the side of a partition that holds fewer
     * than half the nodes downs itself, so a cut-off solver stops rather than answer twice) and the failure
     * detector's pause. Empty when the cluster is off.
     */
    public Config pekkoConfig() {
        if (!enabled) {
            return ConfigFactory.empty();
        }
        Map<String, Object> settings = new HashMap<>();
        settings.put("pekko.actor.provider", "cluster");
        settings.put("pekko.remote.artery.canonical.hostname", hostname);
        settings.put("pekko.remote.artery.canonical.port", port);
        settings.put("pekko.cluster.roles", List.of(role.label()));
        // with no seed nodes the node joins itself at start (Synod.start): it is the cluster's first node
        settings.put("pekko.cluster.seed-nodes", seedNodes);
        settings.put("pekko.cluster.downing-provider-class", "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider");
        settings.put("pekko.cluster.split-brain-resolver.active-strategy", "keep-majority");
        settings.put("pekko.cluster.split-brain-resolver.stable-after", downAfter.toMillis() + "ms");
        settings.put("pekko.cluster.failure-detector.acceptable-heartbeat-pause", failureDetectionPause.toMillis() + "ms");
        // a node that is downed (or leaves) stops its actor system, so a stale solver never answers again
        settings.put("pekko.cluster.run-coordinated-shutdown-when-down", "on");
        // its JMX bean is named by its address, so that several nodes may share a JVM (the tests and benchmark do)
        settings.put("pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on");
        return ConfigFactory.parseMap(settings);
    }

    private static Duration positive(Config cluster, String key) {
        Duration value = cluster.getDuration(key);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("synod.cluster." + key + " is " + value + "; it must be longer than zero");
        }
        return value;
    }
}
