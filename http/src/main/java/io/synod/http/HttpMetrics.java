// The metrics of /metrics: HTTP requests by route and status, and Synod's own figures, in a Prometheus registry.
package io.synod.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.synod.actors.Counters;
import io.synod.actors.Synod;
import io.synod.actors.cluster.ClusterStatus;

import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * A {@link PrometheusMeterRegistry} holding:
 * <ul>
 *   <li>{@code http_server_requests_seconds} (a timer with buckets; tags {@code method}, {@code route} — the
 *       route's template, or {@code unmatched} — and {@code status}): every request and its latency, up to the
 *       response's headers (for an answer stream, until the first step);</li>
 *   <li>from {@link Synod#counters()}, read at each scrape: {@code synod_sessions_in_flight},
 *       {@code synod_queue_depth}, {@code synod_adapters_resident} (gauges), {@code synod_questions_asked_total},
 *       {@code synod_questions_total} with tag {@code outcome} = answered, failed or refused,
 *       {@code synod_model_calls_total}, {@code synod_solver_failures_total}, and {@code synod_ready} (1 when the
 *       model and graph are loaded);</li>
 *   <li>in a cluster, from {@link Synod#cluster()}: {@code synod_cluster_members}, {@code synod_cluster_unreachable},
 *       {@code synod_cluster_solvers_reachable}, {@code synod_cluster_adapters_resident} with tag {@code node} (the
 *       adapters resident on each node, as this front last heard) and {@code synod_cluster_adapter_loads_total}
 *       (adapters this node's solvers loaded on demand);</li>
 *   <li>the JVM's memory, threads, processor and uptime.</li>
 * </ul>
 * Thread-safe.
 */
public final class HttpMetrics {

    /** The name of the request timer (Prometheus: {@code http_server_requests_seconds}). */
    public static final String REQUESTS = "http.server.requests";

    /** The route tag of a request no route matched (kept to one value, never the raw path). */
    public static final String UNMATCHED = "unmatched";

    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Synod synod;

    public HttpMetrics(Synod synod) {
        this.synod = synod;
        if (synod.cluster().isPresent()) {
            gauge("synod.cluster.members", "members of the cluster, as this node sees them", synod,
                    s -> s.cluster().map(c -> c.members().size()).orElse(0));
            gauge("synod.cluster.unreachable", "members this node cannot reach now", synod,
                    s -> s.cluster().map(c -> c.unreachable().size()).orElse(0));
            gauge("synod.cluster.solvers.reachable", "solvers this node routes to (its own and those of reachable nodes)",
                    synod, s -> s.cluster().map(ClusterStatus::reachableSolvers).orElse(0));
            FunctionCounter.builder("synod.cluster.adapter.loads", synod,
                            s -> s.cluster().map(ClusterStatus::adapterLoads).orElse(0L))
                    .description("adapters this node's solvers loaded on demand").register(registry);
        }
        gauge("synod.sessions.in.flight", "questions being answered now (planned, queued or running)", synod,
                s -> s.counters().sessionsInFlight());
        gauge("synod.queue.depth", "questions waiting for a free solver", synod, s -> s.counters().queueDepth());
        gauge("synod.adapters.resident", "adapters resident in the solvers' models", synod,
                s -> s.counters().residentAdapters());
        gauge("synod.ready", "1 when the graph and every solver's model are loaded, else 0", synod,
                s -> s.readiness().ready() ? 1 : 0);
        counter("synod.questions.asked", "questions asked, refused or not", null, synod, Counters::asked);
        String outcomes = "questions by outcome: answered; failed (answered with an error: invalid, deadline, solver"
                + " failure); refused (at once: overloaded or shutting down)";
        counter("synod.questions", outcomes, "answered", synod, Counters::answered);
        counter("synod.questions", outcomes, "failed", synod, Counters::failed);
        counter("synod.questions", outcomes, "refused", synod, Counters::refused);
        counter("synod.model.calls", "model calls made by the solvers", null, synod, Counters::modelCalls);
        counter("synod.solver.failures", "questions during which a solver threw", null, synod, Counters::solverFailures);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Counts a request and its latency. */
    public void recordRequest(String method, String route, int status, long nanos) {
        Timer.builder(REQUESTS)
                .description("HTTP requests by method, route and status, and their latency")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    /** Every metric in the Prometheus text format (version 0.0.4). */
    public String scrape() {
        // one gauge per node the front has heard of (a node that left reads 0)
        synod.cluster().ifPresent(cluster -> cluster.adaptersByNode().keySet().forEach(node ->
                Gauge.builder("synod.cluster.adapters.resident", synod, s -> s.cluster()
                                .map(now -> now.adaptersByNode().getOrDefault(node, java.util.List.of()).size()).orElse(0))
                        .description("adapters resident on each node, as this front last heard")
                        .tag("node", node).register(registry)));
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    private void gauge(String name, String description, Synod synod, ToDoubleFunction<Synod> value) {
        Gauge.builder(name, synod, value).description(description).register(registry);
    }

    private void counter(String name, String description, String outcome, Synod synod, ToDoubleFunction<Counters> value) {
        FunctionCounter.Builder<Synod> builder = FunctionCounter.builder(name, synod, s -> value.applyAsDouble(s.counters()))
                .description(description);
        if (outcome != null) {
            builder.tag("outcome", outcome);
        }
        builder.register(registry);
    }
}
