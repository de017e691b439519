// What `synod ask`, `synod eval` and `synod experts eval` answer with: the graph, the model, the strategy, and the
// expert gate's top-k and temperature.
package io.synod.app.ask;

import io.synod.decomposer.reasoning.AskOptions;
import io.synod.decomposer.reasoning.Strategy;
import io.synod.kg.KnowledgeGraph;
import io.synod.solvers.experts.GateOptions;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --graph}, {@code --model-dir}, {@code --threads}, {@code --strategy}, {@code --top-k} and
 * {@code --temperature}: a picocli mixin.
 */
public final class AnsweringOptions {

    @Option(names = "--strategy", defaultValue = "auto", paramLabel = "S",
            description = "auto, decomp, ksl, daslam or direct (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--graph", paramLabel = "DIR",
            description = "A TDB2 store written by `synod kg load` to answer from (default: the bundled world graph, loaded in memory).")
    Path graph;

    @Option(names = "--top-k", defaultValue = "1", paramLabel = "K",
            description = "When the expert gate routes: experts mixed per sub-question, 1 to 8 (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--temperature", defaultValue = "" + GateOptions.DEFAULT_TEMPERATURE, paramLabel = "T",
            description = "When the expert gate routes: the gate's softmax temperature (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Mixin
    ModelOption model;

    /** --strategy as given. */
    public String strategy() {
        return strategy;
    }

    /** The defaults with --strategy; fails naming the strategies when it is none of them. */
    public AskOptions askOptions() {
        return AskOptions.defaults().withStrategy(Strategy.parse(strategy));
    }

    public int topK() {
        return topK;
    }

    public double temperature() {
        return temperature;
    }

    public ModelOption model() {
        return model;
    }

    /** The TDB2 store of --graph, or the bundled world graph in memory. */
    public KnowledgeGraph openGraph() {
        return graph == null ? KnowledgeGraph.bundled() : KnowledgeGraph.open(graph);
    }
}
