// Solvers for the route tests: they answer by the question's words, so one server serves every test of a class.
package io.synod.http;

import io.synod.actors.solver.Job;
import io.synod.actors.solver.Solver;
import io.synod.actors.solver.SolverFactory;
import io.synod.decomposer.reasoning.Answer;
import io.synod.kg.KnowledgeGraph;
import io.synod.solvers.reasoning.TraceEvent;
import io.synod.solvers.reasoning.Value;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A {@link SolverFactory} standing in for the model. A question is answered "Togo" after two steps (ids "1" and
 * "2", handler kg, adapter walk); one with "crash" in it throws after a step; one with "slow" in it records a step,
 * says so ({@link #awaitSlowStarted()}) and waits for {@link #releaseSlow()}. With {@link #holdLoading()} the
 * solvers do not finish loading until {@link #finishLoading()}.
 */
final class ScriptedSolvers implements SolverFactory {

    private final CountDownLatch loading = new CountDownLatch(1);
    private volatile boolean holdLoading;
    private final Semaphore slowStarted = new Semaphore(0);
    private final Semaphore slowReleased = new Semaphore(0);
    private final Semaphore slowFinished = new Semaphore(0);
    private final AtomicLong calls = new AtomicLong();

    ScriptedSolvers holdLoading() {
        holdLoading = true;
        return this;
    }

    void finishLoading() {
        loading.countDown();
    }

    /** Waits until a slow question has recorded its step and is waiting. */
    void awaitSlowStarted() throws InterruptedException {
        if (!slowStarted.tryAcquire(30, TimeUnit.SECONDS)) {
            throw new AssertionError("no slow question started within 30 s");
        }
    }

    /** Lets one slow question answer, and waits until its solver is free again. */
    void releaseSlow() throws InterruptedException {
        slowReleased.release();
        if (!slowFinished.tryAcquire(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the slow question did not finish within 30 s of its release");
        }
    }

    @Override
    public Solver create(KnowledgeGraph graph) {
        if (holdLoading) {
            try {
                loading.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new Solver() {
            private final List<String> adapters = new ArrayList<>(List.of("compose", "decompose", "direct", "walk"));

            @Override
            public Answer solve(Job job, Consumer<TraceEvent> listener) {
                calls.incrementAndGet();
                List<TraceEvent> steps = new ArrayList<>();
                steps.add(step("1", "Togo -capital-> Lomé", listener));
                if (job.question().contains("crash")) {
                    throw new IllegalStateException("the scripted solver crashed");
                }
                if (job.question().contains("slow")) {
                    slowStarted.release();
                    try {
                        slowReleased.tryAcquire(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        slowFinished.release();
                    }
                } else {
                    steps.add(step("2", "Togo -currency-> West African CFA franc", listener));
                }
                return new Answer(job.question(), job.options().strategy(), List.of(Value.of("Togo")), null,
                        "QC: " + job.question() + "\nQS: [EOQ]", List.of("Lomé -capital-of-> Togo"), steps, 3);
            }

            @Override
            public List<String> adapters() {
                return List.copyOf(adapters);
            }

            @Override
            public void loadAdapter(String name, Path directory) {
                adapters.add(name);
            }

            @Override
            public void unloadAdapter(String name) {
                if (!adapters.remove(name)) {
                    throw new IllegalArgumentException("the adapter " + name + " is not resident");
                }
            }

            /**
             * A canned selection: walk measures best; "broken" fails to load; a name neither resident nor "broken"
             * is unknown.
             */
            @Override
            public io.synod.solvers.experts.ExpertSelector.Report selectExperts(
                    List<io.synod.adapters.experts.KShotExample> examples, List<String> candidates, int m, int n,
                    Path catalogue) {
                List<String> names = candidates.isEmpty() ? List.copyOf(adapters) : candidates;
                List<io.synod.adapters.experts.KShotSelection.Candidate> measured = new ArrayList<>();
                for (String name : names) {
                    if (name.equals("broken")) {
                        measured.add(io.synod.adapters.experts.KShotSelection.Candidate.failed(name,
                                "failed to load: adapter 'broken' has no adapter_model.safetensors"));
                    } else if (!adapters.contains(name)) {
                        throw new IllegalArgumentException("unknown expert '" + name + "': it is not resident");
                    } else {
                        measured.add(io.synod.adapters.experts.KShotSelection.Candidate.measured(name,
                                name.equals("walk") ? 0.75 : 0.25, name.equals("walk") ? 1.3 : 4.0 + name.length()));
                    }
                }
                return new io.synod.solvers.experts.ExpertSelector.Report(io.synod.adapters.experts.KShotSelection
                        .select(examples.size(), measured, (first, second) -> 0.5, m, n), names, 3);
            }

            @Override
            public long modelCalls() {
                return calls.get();
            }

            @Override
            public void close() {
            }
        };
    }

    private static TraceEvent step(String id, String hop, Consumer<TraceEvent> listener) {
        TraceEvent event = new TraceEvent(id, null, "kg", "hop " + id, "output " + id, "walk", Integer.parseInt(id), 1,
                null, List.of(hop));
        listener.accept(event);
        return event;
    }
}
