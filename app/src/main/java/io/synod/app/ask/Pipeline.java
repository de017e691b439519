// What the ask and eval commands answer with: the bundled graph (or a TDB2 store) and the default model, loaded
// directly (eval) or as the settings of an embedded Synod (ask).
package io.synod.app.ask;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.synod.decomposer.model.DefaultModel;
import io.synod.decomposer.reasoning.AskOptions;
import io.synod.decomposer.reasoning.Reasoner;
import io.synod.decomposer.reasoning.Strategy;
import io.synod.kg.KnowledgeGraph;
import io.synod.solvers.experts.GateOptions;
import io.synod.solvers.knowledge.WalkGraph;
import io.synod.solvers.model.RuntimeOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options shared by {@code ask} and {@code eval}, and the loading they imply. */
final class Pipeline {

    @Option(names = "--strategy", defaultValue = "auto", paramLabel = "S",
            description = "auto, decomp, ksl, daslam or direct (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--beam", defaultValue = "1", paramLabel = "N",
            description = "Width of the graph walk's beam; 1 walks greedily (default: ${DEFAULT-VALUE}).")
    int beam;

    @Option(names = "--walk-confidence", defaultValue = "" + AskOptions.WALK_CONFIDENCE, paramLabel = "P",
            description = "The least confidence of a greedy walk's choice (0 to below 1); a walk less sure stops, and the"
                    + " question is answered another way or 'unknown'; 0 accepts every choice (default: ${DEFAULT-VALUE}).")
    double walkConfidence;

    @Option(names = "--graph", paramLabel = "DIR",
            description = "A TDB2 store written by `synod kg load` to answer from (default: the bundled world graph, loaded in memory).")
    Path graph;

    @Option(names = "--model-dir", paramLabel = "DIR",
            description = "A model directory laid out as `synod train default` writes it (base/ and adapters/); default: the embedded default.")
    Path modelDirectory;

    @Option(names = "--experts", defaultValue = "trained", paramLabel = "MODE",
            description = "trained: each role uses its LoRA expert; base: the base model alone in every role;"
                    + " few-shot: the base model (a large instruct checkpoint given with --model-dir) decomposes from the"
                    + " prompt library's few-shot programs; routed: the expert gate (trained, or by similarity) chooses"
                    + " the expert of each sub-question (see docs/experts.md; --top-k, --temperature) (default:"
                    + " ${DEFAULT-VALUE}).")
    String experts;

    @Option(names = "--top-k", defaultValue = "1", paramLabel = "K",
            description = "With --experts routed: experts mixed per sub-question, 1 to 8 (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--temperature", defaultValue = "" + GateOptions.DEFAULT_TEMPERATURE, paramLabel = "T",
            description = "With --experts routed: the gate's softmax temperature (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "PyTorch threads for inference (default: ${DEFAULT-VALUE}).")
    int threads;

    /** The graph and the reasoners (one model each); the models close before the graph. */
    record Loaded(KnowledgeGraph graph, List<Reasoner> reasoners) implements AutoCloseable {
        @Override
        public void close() {
            reasoners.forEach(reasoner -> reasoner.model().close());
            graph.close();
        }
    }

    AskOptions askOptions() {
        return AskOptions.defaults().withStrategy(Strategy.parse(strategy)).withBeamWidth(beam)
                .withWalkConfidence(walkConfidence);
    }

    /**
     * The settings of an embedded {@link io.synod.actors.Synod} answering as these options say: one solver with
     * the model of --model-dir (or the shipped default), the graph of --graph (or the bundled one), the experts
     * of --experts, --threads PyTorch threads.
     */
    Config synodConfig() {
        roles(experts, topK, temperature); // fails naming the option, rather than the setting it becomes
        Map<String, Object> settings = new HashMap<>();
        settings.put("synod.model.directory", modelDirectory == null ? "" : modelDirectory.toAbsolutePath().toString());
        settings.put("synod.graph.source", graph == null ? "bundled" : graph.toAbsolutePath().toString());
        settings.put("synod.experts.mode", experts);
        settings.put("synod.experts.routing.top-k", topK);
        settings.put("synod.experts.routing.temperature", temperature);
        settings.put("synod.model.threads", threads);
        settings.put("synod.solver.pool-size", 1);
        return ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load());
    }

    /** Loads the graph once and {@code workers} copies of the model, for answering in parallel. */
    Loaded load(int workers) {
        if (modelDirectory != null) {
            System.setProperty(DefaultModel.PROPERTY, modelDirectory.toString());
        }
        KnowledgeGraph knowledgeGraph = graph == null ? KnowledgeGraph.bundled() : KnowledgeGraph.open(graph);
        try {
            Reasoner.Experts roles = roles(experts, topK, temperature);
            List<Reasoner> reasoners = new ArrayList<>();
            WalkGraph walkGraph = new WalkGraph(knowledgeGraph);
            try {
                for (int i = 0; i < workers; i++) {
                    reasoners.add(new Reasoner(DefaultModel.load(RuntimeOptions.defaults().withThreads(threads)),
                            walkGraph, roles));
                }
            } catch (RuntimeException e) {
                reasoners.forEach(reasoner -> reasoner.model().close());
                throw e;
            }
            return new Loaded(knowledgeGraph, List.copyOf(reasoners));
        } catch (RuntimeException e) {
            knowledgeGraph.close();
            throw e;
        }
    }

    /** The experts of each role that --experts names. */
    private static Reasoner.Experts roles(String experts, int topK, double temperature) {
        return switch (experts) {
            case "trained" -> Reasoner.Experts.standard();
            case "base" -> Reasoner.Experts.baseOnly();
            case "few-shot" -> new Reasoner.Experts(null, null, null, null, true);
            case "routed" -> Reasoner.Experts.routed(gate(topK, temperature));
            default -> throw new IllegalArgumentException("--experts is '" + experts
                    + "'; expected trained, base, few-shot or routed");
        };
    }

    /** The gate of --top-k and --temperature. */
    static GateOptions gate(int topK, double temperature) {
        try {
            return GateOptions.defaults().withTopK(topK).withTemperature(temperature);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--top-k " + topK + " --temperature " + temperature + ": " + e.getMessage(), e);
        }
    }
}
