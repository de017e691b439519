// The shipped solver: a loaded model with its experts running the reasoning pipeline (Reasoner).
package io.synod.actors.solver;

import io.synod.actors.SynodSettings;
import io.synod.adapters.experts.KShotExample;
import io.synod.decomposer.model.DefaultModel;
import io.synod.decomposer.reasoning.Answer;
import io.synod.decomposer.reasoning.Reasoner;
import io.synod.solvers.answering.ModelSolver;
import io.synod.solvers.experts.ExpertSelector;
import io.synod.solvers.knowledge.WalkGraph;
import io.synod.solvers.reasoning.TraceEvent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link ModelSolver} (base model and resident experts) and the graph, answering with the {@link Reasoner}
 * under the experts each job names. One question at a time.
 */
public final class ReasonerSolver implements Solver {

    private final ModelSolver model;
    private final WalkGraph graph;

    public ReasonerSolver(ModelSolver model, WalkGraph graph) {
        this.model = model;
        this.graph = graph;
    }

    /**
     * Loads the model of {@code settings} for each solver: the directory it names ({@code base/} and
     * {@code adapters/}), or the shipped default model when it names none.
     */
    public static SolverFactory factory(SynodSettings.ModelSettings settings) {
        return graph -> new ReasonerSolver(loadModel(settings), new WalkGraph(graph));
    }

    /** The model directory of {@code settings}: the one it names, or the shipped default's. */
    public static Path modelDirectory(SynodSettings.ModelSettings settings) {
        if (settings.directory().isEmpty()) {
            return DefaultModel.directory();
        }
        Path directory = Path.of(settings.directory());
        if (!Files.isDirectory(directory.resolve("base"))) {
            throw new IllegalArgumentException("synod.model.directory is " + directory
                    + " but it has no base/ model directory (the layout `synod train default` writes)");
        }
        return directory;
    }

    private static ModelSolver loadModel(SynodSettings.ModelSettings settings) {
        if (settings.directory().isEmpty()) {
            return DefaultModel.load(settings.runtime());
        }
        Path directory = modelDirectory(settings);
        return ModelSolver.load(directory.resolve("base"), directory.resolve("adapters"), settings.runtime());
    }

    @Override
    public Answer solve(Job job, Consumer<TraceEvent> listener) {
        return new Reasoner(model, graph, job.experts()).ask(job.question(), job.options(), listener);
    }

    @Override
    public List<String> adapters() {
        return model.experts();
    }

    @Override
    public void loadAdapter(String name, Path directory) {
        model.loadExpert(name, directory);
    }

    @Override
    public void unloadAdapter(String name) {
        model.unloadExpert(name);
    }

    @Override
    public long modelCalls() {
        return model.calls();
    }

    @Override
    public ExpertSelector.Report selectExperts(List<KShotExample> examples, List<String> candidates, int m, int n,
                                               Path catalogue) {
        return ExpertSelector.select(model, catalogue, candidates, examples, m, n);
    }

    @Override
    public void close() {
        model.close();
    }
}
