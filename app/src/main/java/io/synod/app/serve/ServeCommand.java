// `synod serve`: runs the HTTP API over an embedded Synod until SIGTERM or Ctrl-C, then shuts down gracefully.
package io.synod.app.serve;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.synod.actors.Synod;
import io.synod.actors.cluster.ClusterSettings;
import io.synod.http.HttpSettings;
import io.synod.http.SynodHttp;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve the HTTP API on the embedded default model and the bundled graph.",
            "docs/http.md and GET /openapi.yaml describe the API. With --config, serve",
            "another model (synod.model.directory), graph (synod.graph.source) and more.",
            "Prints where it listens, then \"ready\" once the model and graph are loaded",
            "(GET /ready answers 503 until then). SIGTERM or Ctrl-C stops it gracefully:",
            "no new connections; questions in flight finish within",
            "synod.shutdown.drain-timeout (10 s) or are answered with an error; then it exits.",
            "Adapter administration (/v1/adapters) is off unless synod.http.admin-token",
            "or the environment variable SYNOD_ADMIN_TOKEN holds a token.",
            "With --role the node joins a Pekko Cluster (docs/cluster.md): a front routes",
            "questions to the solvers of the solver nodes it finds, a solver node runs",
            "solvers for the fronts; without --role (and synod.cluster.enabled off) one",
            "JVM runs everything and no cluster is formed.",
        })
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--host", paramLabel = "HOST",
            description = "Address to listen on; 0.0.0.0 for every interface (default: synod.http.host, 127.0.0.1).")
    String host;

    @Option(names = "--port", paramLabel = "PORT",
            description = "Port to listen on; 0 picks a free one (default: synod.http.port, 8080).")
    Integer port;

    @Option(names = "--role", paramLabel = "ROLE",
            description = "Join a cluster as front (HTTP, sessions, routing to solver nodes), solver (solvers for the"
                    + " fronts) or both (default: no cluster; with synod.cluster.enabled on, synod.cluster.role, both).")
    String role;

    @Option(names = "--seed-nodes", paramLabel = "HOST:PORT", split = ",",
            description = "Cluster nodes to join through, comma-separated HOST:PORT (their --cluster-port); the first"
                    + " node lists itself (default: synod.cluster.seed-nodes, none: this node forms the cluster).")
    List<String> seedNodes;

    @Option(names = "--cluster-host", paramLabel = "HOST",
            description = "The address other cluster nodes reach this one at (default: synod.cluster.hostname, 127.0.0.1).")
    String clusterHost;

    @Option(names = "--cluster-port", paramLabel = "PORT",
            description = "The cluster (Artery TCP) port; 0 picks a free one (default: synod.cluster.port, 25520).")
    Integer clusterPort;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A HOCON file overlaid on the defaults, e.g. synod.model.directory, synod.graph.source,"
                    + " synod.solver.pool-size, synod.http.admin-token; every key is documented in the reference.conf"
                    + " files of the actors and http modules (default: none, the defaults alone).")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Config settings = settings();
        HttpSettings http = HttpSettings.from(settings);
        out.println("synod: loading the knowledge graph (" + settings.getString("synod.graph.source")
                + ") and the model; " + settings.getInt("synod.solver.pool-size") + " solver(s)");
        if (settings.getBoolean("synod.cluster.enabled")) {
            out.println("synod: cluster node " + settings.getString("synod.cluster.hostname") + ":"
                    + settings.getInt("synod.cluster.port") + ", role " + settings.getString("synod.cluster.role")
                    + ", seed nodes " + settings.getStringList("synod.cluster.seed-nodes"));
        }
        Synod synod = Synod.start(settings);
        SynodHttp server;
        try {
            server = SynodHttp.start(synod, http, settings);
        } catch (RuntimeException e) {
            synod.close();
            throw e;
        }
        out.println("synod: listening on " + server.baseUrl() + (http.adminEnabled() ? " (adapter administration on)" : ""));

        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread shutdown = new Thread(() -> {
            out.println("synod: shutting down: no new connections; questions in flight get "
                    + synod.settings().shutdown().drainTimeout().toSeconds() + " s to finish");
            stop(server, synod);
            out.println("synod: stopped");
            exit.complete(0);
        }, "synod-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        // in a cluster the split-brain resolver may down this node (it was cut off from the majority): its actor
        // system then stops, and so does the process, rather than serve without its cluster
        synod.whenTerminated().thenRun(() -> {
            if (!exit.isDone() && stopsHere(shutdown)) {
                spec.commandLine().getErr().println("synod: this node's actor system stopped (removed from the cluster);"
                        + " stopping");
                server.stopAccepting();
                server.close();
                exit.complete(1);
            }
        });

        synod.whenReady().whenComplete((ready, failure) -> {
            if (failure == null) {
                out.println("synod: ready");
            } else if (stopsHere(shutdown)) {
                spec.commandLine().getErr().println("synod: loading failed: " + failure.getMessage() + "; stopping");
                stop(server, synod);
                exit.complete(1);
            }
        });
        return exit.join();
    }

    /** The defaults, under the file of --config, under --host and --port. */
    private Config settings() {
        Map<String, Object> overrides = new HashMap<>();
        if (host != null) {
            overrides.put("synod.http.host", host);
        }
        if (port != null) {
            overrides.put("synod.http.port", port);
        }
        try {
            if (role != null) {
                overrides.put("synod.cluster.enabled", true);
                overrides.put("synod.cluster.role", ClusterSettings.Role.parse(role, "--role").label());
            }
            if (seedNodes != null) {
                List<String> addresses = new ArrayList<>();
                for (String seed : seedNodes) {
                    addresses.add(ClusterSettings.seedAddress(seed, "--seed-nodes"));
                }
                overrides.put("synod.cluster.seed-nodes", addresses);
            }
            if (clusterPort != null && (clusterPort < 0 || clusterPort > 65535)) {
                throw new IllegalArgumentException("--cluster-port is " + clusterPort + "; expected 0 to 65535");
            }
        } catch (IllegalArgumentException e) {
            // a bad cluster option is a usage error: the message names it, the usage follows
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (clusterHost != null) {
            overrides.put("synod.cluster.hostname", clusterHost);
        }
        if (clusterPort != null) {
            overrides.put("synod.cluster.port", clusterPort);
        }
        // this command stops the actor systems itself, in order, when the JVM is told to stop
        overrides.put("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off");
        Config file = ConfigFactory.empty();
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                throw new IllegalArgumentException("--config " + config + " is not a file");
            }
            file = ConfigFactory.parseFile(config.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        }
        Config settings = ConfigFactory.parseMap(overrides).withFallback(file).withFallback(ConfigFactory.load()).resolve();
        if (!settings.getBoolean("synod.cluster.enabled") && (seedNodes != null || clusterHost != null || clusterPort != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), (seedNodes != null ? "--seed-nodes"
                    : clusterHost != null ? "--cluster-host" : "--cluster-port")
                    + " is for a cluster node: give --role front, solver or both (or synod.cluster.enabled = on)");
        }
        return settings;
    }

    /** Whether this thread is to stop the server: false when the shutdown hook already runs. */
    private static boolean stopsHere(Thread shutdown) {
        try {
            return Runtime.getRuntime().removeShutdownHook(shutdown);
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }

    private static void stop(SynodHttp server, Synod synod) {
        server.stopAccepting();
        synod.close();
        server.close();
    }
}
