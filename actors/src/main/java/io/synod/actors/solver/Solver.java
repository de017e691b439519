// What a solver actor runs: a loaded model that answers one question at a time.
package io.synod.actors.solver;

import io.synod.adapters.experts.KShotExample;
import io.synod.decomposer.reasoning.Answer;
import io.synod.solvers.experts.ExpertSelector;
import io.synod.solvers.reasoning.TraceEvent;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A solver: one loaded model (with its resident adapters) and the reasoning around it. Synchronous and
 * blocking; a solver actor calls it from one thread at a time, on the blocking dispatcher. Implementations
 * other than {@link ReasonerSolver} are for tests.
 */
public interface Solver extends AutoCloseable {

    /**
     * Answers a question, handing every trace event to {@code listener} as it is recorded.
     *
     * @throws RuntimeException when solving fails; the solver actor is then restarted
     */
    Answer solve(Job job, Consumer<TraceEvent> listener);

    /** The names of the adapters resident in the model. */
    List<String> adapters();

    /**
     * Makes the PEFT adapter in {@code directory} resident under {@code name}.
     *
     * @throws RuntimeException naming what is wrong when the adapter is missing, invalid or does not fit the model
     */
    void loadAdapter(String name, Path directory);

    /** @throws RuntimeException when no adapter of that name is resident */
    void unloadAdapter(String name);

    /** Model calls made so far. */
    long modelCalls();

    /**
     * K-shot expert selection ({@link ExpertSelector}) among the resident experts and the adapters of
     * {@code catalogue}, on this solver's model.
     *
     * @throws IllegalArgumentException naming an unknown candidate, an unusable example, or M or N out of range
     * @throws UnsupportedOperationException when this solver has no model to select with (the default)
     */
    default ExpertSelector.Report selectExperts(List<KShotExample> examples, List<String> candidates, int m, int n,
                                                Path catalogue) {
        throw new UnsupportedOperationException("this solver has no model to select experts with");
    }

    /** Releases the model; no exception. */
    @Override
    void close();
}
