// Loads what the ask and eval commands answer with: the bundled graph (or a TDB2 store) and the default model.
package io.synod.app.ask;

import io.synod.decomposer.model.DefaultModel;
import io.synod.decomposer.reasoning.AskOptions;
import io.synod.decomposer.reasoning.Reasoner;
import io.synod.decomposer.reasoning.Strategy;
import io.synod.kg.KnowledgeGraph;
import io.synod.solvers.model.RuntimeOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by {@code ask} and {@code eval}, and the loading they imply. */
final class Pipeline {

    @Option(names = "--strategy", defaultValue = "auto", paramLabel = "S",
            description = "auto, decomp, ksl, daslam or direct (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--beam", defaultValue = "1", paramLabel = "N",
            description = "Width of the graph walk's beam; 1 walks greedily (default: ${DEFAULT-VALUE}).")
    int beam;

    @Option(names = "--graph", paramLabel = "DIR",
            description = "A TDB2 store written by `synod kg load` to answer from (default: the bundled world graph, loaded in memory).")
    Path graph;

    @Option(names = "--model-dir", paramLabel = "DIR",
            description = "A model directory laid out as `synod train default` writes it (base/ and adapters/); default: the embedded default.")
    Path modelDirectory;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "PyTorch threads for inference (default: ${DEFAULT-VALUE}).")
    int threads;

    /** The graph and the reasoner; close the graph after the reasoner's model. */
    record Loaded(KnowledgeGraph graph, Reasoner reasoner) implements AutoCloseable {
        @Override
        public void close() {
            reasoner.model().close();
            graph.close();
        }
    }

    AskOptions askOptions() {
        return AskOptions.defaults().withStrategy(Strategy.parse(strategy)).withBeamWidth(beam);
    }

    Loaded load() {
        if (modelDirectory != null) {
            System.setProperty(DefaultModel.PROPERTY, modelDirectory.toString());
        }
        KnowledgeGraph knowledgeGraph = graph == null ? KnowledgeGraph.bundled() : KnowledgeGraph.open(graph);
        try {
            Reasoner reasoner = DefaultModel.reasoner(knowledgeGraph, RuntimeOptions.defaults().withThreads(threads));
            return new Loaded(knowledgeGraph, reasoner);
        } catch (RuntimeException e) {
            knowledgeGraph.close();
            throw e;
        }
    }
}
