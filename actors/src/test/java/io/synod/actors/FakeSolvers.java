// Test solvers: instant, failing or slow, standing in for the model so that actor behaviour is tested alone.
package io.synod.actors;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A {@link SolverFactory} whose solvers follow a script: record some trace events, then answer, throw or wait.
 * Counts the solvers it made and the questions they were given; {@link #release()} lets waiting solvers go on.
 */
final class FakeSolvers implements SolverFactory {

    /** What a solver does with the {@code call}-th question given to any solver of this factory (from 1). */
    interface Script {
        Answer run(FakeSolvers solvers, Job job, Consumer<TraceEvent> listener, int call) throws InterruptedException;
    }

    static final List<String> EXPERTS = List.of("compose", "decompose", "direct", "walk");

    final AtomicInteger created = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private final Script script;

    FakeSolvers(Script script) {
        this.script = script;
    }

    /** Two steps, then the answer "Togo". */
    static FakeSolvers instant() {
        return new FakeSolvers((solvers, job, listener, call) -> answer(job, "Togo", steps(listener, 2)));
    }

    /** Throws on the first {@code failures} questions (after recording a step), then answers. */
    static FakeSolvers failing(int failures) {
        return new FakeSolvers((solvers, job, listener, call) -> {
            List<TraceEvent> steps = steps(listener, 1);
            if (call <= failures) {
                throw new IllegalStateException("injected failure " + call);
            }
            return answer(job, "Togo", steps);
        });
    }

    /** Records a step, then waits for {@link #release()} before answering. */
    static FakeSolvers slow() {
        return new FakeSolvers((solvers, job, listener, call) -> {
            List<TraceEvent> steps = steps(listener, 1);
            if (!solvers.release.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the slow solver");
            }
            return answer(job, "Togo", steps);
        });
    }

    void release() {
        release.countDown();
    }

    /** Waits (at most a minute) for {@link #release()}. */
    void awaitRelease() throws InterruptedException {
        if (!release.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never released the solver");
        }
    }

    /** Records {@code count} steps, ids "1", "2", ...; returns them. */
    static List<TraceEvent> steps(Consumer<TraceEvent> listener, int count) {
        List<TraceEvent> steps = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            TraceEvent event = new TraceEvent(Integer.toString(i), null, "kg", "step " + i, "output " + i, "walk",
                    i, 1, null, List.of("Lomé -capital-of-> Togo"));
            steps.add(event);
            listener.accept(event);
        }
        return steps;
    }

    static Answer answer(Job job, String text, List<TraceEvent> trace) {
        return new Answer(job.question(), job.options().strategy(), List.of(Value.of(text)), null, null, List.of(),
                trace, 1);
    }

    @Override
    public Solver create(KnowledgeGraph graph) {
        created.incrementAndGet();
        return new Solver() {
            private final List<String> adapters = new ArrayList<>(EXPERTS);

            @Override
            public Answer solve(Job job, Consumer<TraceEvent> listener) {
                try {
                    return script.run(FakeSolvers.this, job, listener, calls.incrementAndGet());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
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
                    throw new IllegalArgumentException("no adapter " + name);
                }
            }

            @Override
            public long modelCalls() {
                return calls.get();
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
    }
}
