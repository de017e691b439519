// The counters and loading state the actors write and the embedded API reads, without a message round trip.
package io.synod.actors;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Figures shared by the actors of one Synod (they write) and its {@link Synod} facade (it reads, for metrics
 * and readiness probes that must not wait on a busy actor). Thread-safe; each figure is updated atomically on
 * its own, so a {@link #counters()} snapshot may mix figures a moment apart.
 */
public final class RuntimeStatus {

    private final AtomicLong asked = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicInteger sessionsInFlight = new AtomicInteger();
    private final AtomicInteger queueDepth = new AtomicInteger();
    private final AtomicInteger residentAdapters = new AtomicInteger();
    private final AtomicLong modelCalls = new AtomicLong();
    private final AtomicLong solverFailures = new AtomicLong();
    private final AtomicLong adapterLoads = new AtomicLong();
    private volatile Map<String, List<String>> adaptersByNode = Map.of();

    private final int solvers;
    private final AtomicInteger solversReady = new AtomicInteger();
    private volatile boolean graphLoaded;
    private volatile String loadFailure;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    /**
     * @param solvers the solvers Synod needs running to be ready: the pool's own, or on the front of a cluster,
     *                which has none, 1 (at least one solver reachable on another node)
     */
    public RuntimeStatus(int solvers) {
        this.solvers = solvers;
    }

    /** Counts a question asked; returns its number, from 1. */
    public long questionAsked() {
        return asked.incrementAndGet();
    }

    public void questionAnswered() {
        answered.incrementAndGet();
    }

    public void questionFailed() {
        failed.incrementAndGet();
    }

    public void questionRefused() {
        refused.incrementAndGet();
    }

    public void sessionsInFlight(int count) {
        sessionsInFlight.set(count);
    }

    public void queueDepth(int depth) {
        queueDepth.set(depth);
    }

    public void residentAdapters(int count) {
        residentAdapters.set(count);
    }

    public void modelCalls(long delta) {
        modelCalls.addAndGet(delta);
    }

    public void solverFailed() {
        solverFailures.incrementAndGet();
    }

    /** Adapters this node's solvers loaded on demand (in a cluster). */
    public void adaptersLoaded(int count) {
        adapterLoads.addAndGet(count);
    }

    public long adapterLoads() {
        return adapterLoads.get();
    }

    /** The adapters resident per node, as the front's pool last heard (in a cluster). */
    public void adaptersByNode(Map<String, List<String>> adapters) {
        adaptersByNode = Map.copyOf(adapters);
    }

    public Map<String, List<String>> adaptersByNode() {
        return adaptersByNode;
    }

    public void graphLoaded() {
        graphLoaded = true;
        completeIfReady();
    }

    public void solverStarted() {
        solversReady.incrementAndGet();
        completeIfReady();
    }

    /**
     * A solver stopped for good (it failed to start, or failed more often than its restart limit), or, in a
     * cluster, a solver of another node was lost.
     */
    public void solverStopped() {
        solversReady.updateAndGet(count -> Math.max(0, count - 1));
    }

    /** Something failed to load: Synod will not become ready. */
    public void loadFailed(String reason) {
        if (loadFailure == null) {
            loadFailure = reason;
        }
        ready.completeExceptionally(new SynodException(Failure.of(Failure.Kind.UNAVAILABLE, reason)));
    }

    public Readiness readiness() {
        return new Readiness(graphLoaded, solversReady.get(), solvers, loadFailure);
    }

    /** Completes when Synod first becomes ready; fails with a {@link SynodException} when loading fails. */
    public CompletionStage<Void> whenReady() {
        return ready.minimalCompletionStage();
    }

    public Counters counters() {
        return new Counters(asked.get(), answered.get(), failed.get(), refused.get(), sessionsInFlight.get(),
                queueDepth.get(), residentAdapters.get(), modelCalls.get(), solverFailures.get());
    }

    private void completeIfReady() {
        if (readiness().ready()) {
            ready.complete(null);
        }
    }
}
