// The settings under `synod { }`, read once from HOCON and checked; reference.conf documents each key.
package io.synod.actors;

import com.typesafe.config.Config;
import io.synod.actors.cluster.ClusterSettings;
import io.synod.decomposer.reasoning.AskOptions;
import io.synod.decomposer.reasoning.Reasoner;
import io.synod.decomposer.reasoning.Strategy;
import io.synod.solvers.experts.GateOptions;
import io.synod.solvers.model.RuntimeOptions;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Synod's settings. {@link #from(Config)} reads them from the {@code synod} section of a configuration that
 * has reference.conf as its fallback (as {@code ConfigFactory.load()} gives) and fails naming the key whose
 * value is out of range. Immutable.
 */
public record SynodSettings(ModelSettings model, GraphSettings graph, ExpertSettings experts,
                            AdapterSettings adapters, SolverSettings solver, SessionSettings sessions,
                            AskOptions defaultOptions, ShutdownSettings shutdown, ClusterSettings cluster) {

    /** The dispatcher that runs blocking work: inference, graph loading and look-ups, adapter files. */
    public static final String BLOCKING_DISPATCHER = "synod.blocking-dispatcher";

    /** @param directory the model directory ({@code base/}, {@code adapters/}); empty for the shipped default */
    public record ModelSettings(String directory, RuntimeOptions runtime) {
    }

    /** @param source "bundled", a graph file or a TDB2 directory */
    public record GraphSettings(String source, Duration lookupTimeout) {
    }

    /**
     * @param mode    trained, base, few-shot or routed: the experts each role uses
     * @param routing the gate's settings, used in the routed mode
     */
    public record ExpertSettings(String mode, GateOptions routing) {

        /** The experts of {@link #mode}. */
        public Reasoner.Experts experts() {
            return switch (mode) {
                case "trained" -> Reasoner.Experts.standard();
                case "base" -> Reasoner.Experts.baseOnly();
                case "few-shot" -> new Reasoner.Experts(null, null, null, null, true);
                case "routed" -> Reasoner.Experts.routed(routing);
                default -> throw new IllegalStateException("unchecked experts mode " + mode);
            };
        }

        public boolean routed() {
            return mode.equals("routed");
        }
    }

    /** @param directory the adapter catalogue; empty for the served model's {@code adapters/} */
    public record AdapterSettings(String directory, Duration timeout) {
    }

    /** @param prefetch jobs a solver holds at once: the one it runs and those waiting in its mailbox */
    public record SolverSettings(int poolSize, int queueSize, int prefetch, int maxRestarts, Duration restartWindow,
                                 int onDemandAdapters) {
    }

    public record SessionSettings(int maxInFlight, Duration defaultDeadline, Duration maxDeadline) {
    }

    public record ShutdownSettings(Duration drainTimeout, Duration terminateTimeout) {
    }

    /**
     * @param config a configuration with a {@code synod} section (reference.conf supplies every default)
     * @throws IllegalArgumentException naming the key whose value is not acceptable
     * @throws com.typesafe.config.ConfigException when a key is missing or of the wrong type
     */
    public static SynodSettings from(Config config) {
        Config synod = config.getConfig("synod");

        RuntimeOptions runtime = new RuntimeOptions(device(synod.getString("model.device")),
                atLeast(synod, "model.threads", 0), atLeast(synod, "model.context-length", 0));
        ModelSettings model = new ModelSettings(synod.getString("model.directory").strip(), runtime);

        String source = synod.getString("graph.source").strip();
        if (source.isEmpty()) {
            throw new IllegalArgumentException("synod.graph.source is empty; use \"bundled\", a graph file or a TDB2 directory");
        }
        GraphSettings graph = new GraphSettings(source, positive(synod, "graph.lookup-timeout"));

        String mode = synod.getString("experts.mode").strip().toLowerCase(Locale.ROOT);
        if (!List.of("trained", "base", "few-shot", "routed").contains(mode)) {
            throw new IllegalArgumentException("synod.experts.mode is '" + mode
                    + "'; expected trained, base, few-shot or routed");
        }
        GateOptions routing;
        try {
            routing = new GateOptions(synod.getStringList("experts.routing.experts").stream().map(String::strip).toList(),
                    synod.getDouble("experts.routing.temperature"), synod.getInt("experts.routing.top-k"),
                    GateOptions.Kind.parse(synod.getString("experts.routing.gate")), synod.getInt("experts.routing.layers"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("synod.experts.routing: " + e.getMessage(), e);
        }
        ExpertSettings experts = new ExpertSettings(mode, routing);

        AdapterSettings adapters = new AdapterSettings(synod.getString("adapters.directory").strip(),
                positive(synod, "adapters.timeout"));

        SolverSettings solver = new SolverSettings(atLeast(synod, "solver.pool-size", 1),
                atLeast(synod, "solver.queue-size", 0), atLeast(synod, "solver.prefetch", 1),
                atLeast(synod, "solver.max-restarts", 0),
                positive(synod, "solver.restart-window"), atLeast(synod, "solver.on-demand-adapters", 0));
        int threads = threads(config);
        if (threads > 0 && threads < solver.poolSize() + 2) {
            throw new IllegalArgumentException(BLOCKING_DISPATCHER + ".thread-pool-executor.fixed-pool-size is " + threads
                    + " but synod.solver.pool-size is " + solver.poolSize() + "; the dispatcher needs a thread per solver"
                    + " plus two (graph look-ups, adapter files)");
        }

        SessionSettings sessions = new SessionSettings(atLeast(synod, "sessions.max-in-flight", 1),
                positive(synod, "sessions.default-deadline"), positive(synod, "sessions.max-deadline"));
        if (sessions.defaultDeadline().compareTo(sessions.maxDeadline()) > 0) {
            throw new IllegalArgumentException("synod.sessions.default-deadline (" + sessions.defaultDeadline()
                    + ") is longer than synod.sessions.max-deadline (" + sessions.maxDeadline() + ")");
        }

        AskOptions options;
        try {
            options = new AskOptions(Strategy.parse(synod.getString("ask.strategy")), synod.getInt("ask.beam-width"),
                    synod.getInt("ask.max-hops"), synod.getInt("ask.max-rounds"), synod.getDouble("ask.walk-confidence"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("synod.ask: " + e.getMessage(), e);
        }

        ShutdownSettings shutdown = new ShutdownSettings(positive(synod, "shutdown.drain-timeout"),
                positive(synod, "shutdown.terminate-timeout"));
        String modelName = model.directory().isEmpty() ? "default"
                : java.nio.file.Path.of(model.directory()).toAbsolutePath().normalize().getFileName().toString();
        ClusterSettings cluster = ClusterSettings.from(synod, modelName);
        return new SynodSettings(model, graph, experts, adapters, solver, sessions, options, shutdown, cluster);
    }

    private static RuntimeOptions.DevicePreference device(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "auto" -> RuntimeOptions.DevicePreference.AUTO;
            case "cpu" -> RuntimeOptions.DevicePreference.CPU;
            case "gpu" -> RuntimeOptions.DevicePreference.GPU;
            default -> throw new IllegalArgumentException("synod.model.device is '" + text + "'; expected auto, cpu or gpu");
        };
    }

    private static int atLeast(Config synod, String key, int minimum) {
        int value = synod.getInt(key);
        if (value < minimum) {
            throw new IllegalArgumentException("synod." + key + " is " + value + "; it must be at least " + minimum);
        }
        return value;
    }

    private static Duration positive(Config synod, String key) {
        Duration value = synod.getDuration(key);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("synod." + key + " is " + value + "; it must be longer than zero");
        }
        return value;
    }

    /**
     * The threads of the default dispatcher of Synod's own actor system: {@code synod.dispatcher.threads}, or one
     * per core when it is 0.
     *
     * @throws IllegalArgumentException when the setting is negative
     */
    static int dispatcherThreads(Config config) {
        int threads = atLeast(config.getConfig("synod"), "dispatcher.threads", 0);
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** The blocking dispatcher's fixed thread count, or 0 when it is not a fixed thread pool. */
    private static int threads(Config config) {
        String key = BLOCKING_DISPATCHER + ".thread-pool-executor.fixed-pool-size";
        boolean threadPool = config.hasPath(BLOCKING_DISPATCHER + ".executor")
                && config.getString(BLOCKING_DISPATCHER + ".executor").equals("thread-pool-executor");
        return threadPool && config.hasPath(key) ? config.getInt(key) : 0;
    }
}
