// What the ask and eval commands answer with: the bundled graph (or a TDB2 store) and the default model, loaded
// directly (eval) or as the settings of an embedded Synod (ask).
package io.synod.app.ask;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.synod.decomposer.model.DefaultModel;
import io.synod.decomposer.reasoning.AskOptions;
import io.synod.decomposer.reasoning.Reasoner;
import io.synod.kg.KnowledgeGraph;
import io.synod.solvers.experts.GateOptions;
import io.synod.solvers.knowledge.WalkGraph;
import io.synod.solvers.model.RuntimeOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Options shared by {@code ask} and {@code eval} (those {@code experts eval} takes too are {@link AnsweringOptions}),
 * and the loading they imply.
 */
final class Pipeline {

    @Mixin
    AnsweringOptions answering;

    @Option(names = "--beam", defaultValue = "1", paramLabel = "N",
            description = "Width of the graph walk's beam; 1 walks greedily (default: ${DEFAULT-VALUE}).")
    int beam;

    @Option(names = "--walk-confidence", defaultValue = "" + AskOptions.WALK_CONFIDENCE, paramLabel = "P",
            description = "The least confidence of a greedy walk's choice (0 to below 1); a walk less sure stops, and the"
                    + " question is answered another way or 'unknown'; 0 accepts every choice (default: ${DEFAULT-VALUE}).")
    double walkConfidence;

    @Option(names = "--experts", defaultValue = "trained", paramLabel = "MODE",
            description = "trained: each role uses its LoRA expert; base: the base model alone in every role;"
                    + " few-shot: the base model (a large instruct checkpoint given with --model-dir) decomposes from the"
                    + " prompt library's few-shot programs; routed: the expert gate (trained, or by similarity) chooses"
                    + " the expert of each sub-question (see docs/experts.md; --top-k, --temperature) (default:"
                    + " ${DEFAULT-VALUE}).")
    String experts;

    /** The graph and the reasoners (one model each); the models close before the graph. */
    record Loaded(KnowledgeGraph graph, List<Reasoner> reasoners) implements AutoCloseable {
        @Override
        public void close() {
            reasoners.forEach(reasoner -> reasoner.model().close());
            graph.close();
        }
    }

    AskOptions askOptions() {
        return answering.askOptions().withBeamWidth(beam).withWalkConfidence(walkConfidence);
    }

    /**
     * The settings of an embedded {@link io.synod.actors.Synod} answering as these options say: one solver with
     * the model of --model-dir (or the shipped default), the graph of --graph (or the bundled one), the experts
     * of --experts, --threads PyTorch threads.
     */
    Config synodConfig() {
        roles(); // fails naming the option, rather than the setting it becomes
        Path modelDirectory = answering.model.modelDirectory;
        Map<String, Object> settings = new HashMap<>();
        settings.put("synod.model.directory", modelDirectory == null ? "" : modelDirectory.toAbsolutePath().toString());
        settings.put("synod.graph.source", answering.graph == null ? "bundled" : answering.graph.toAbsolutePath().toString());
        settings.put("synod.experts.mode", experts);
        settings.put("synod.experts.routing.top-k", answering.topK);
        settings.put("synod.experts.routing.temperature", answering.temperature);
        settings.put("synod.model.threads", answering.model.threads);
        settings.put("synod.solver.pool-size", 1);
        return ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load());
    }

    /** Loads the graph once and {@code workers} copies of the model, for answering in parallel. */
    Loaded load(int workers) {
        if (answering.model.modelDirectory != null) {
            System.setProperty(DefaultModel.PROPERTY, answering.model.modelDirectory.toString());
        }
        KnowledgeGraph knowledgeGraph = answering.openGraph();
        try {
            Reasoner.Experts roles = roles();
            List<Reasoner> reasoners = new ArrayList<>();
            WalkGraph walkGraph = new WalkGraph(knowledgeGraph);
            RuntimeOptions runtime = RuntimeOptions.defaults().withThreads(answering.model.threads);
            try {
                for (int i = 0; i < workers; i++) {
                    reasoners.add(new Reasoner(DefaultModel.load(runtime), walkGraph, roles));
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
    private Reasoner.Experts roles() {
        return switch (experts) {
            case "trained" -> Reasoner.Experts.standard();
            case "base" -> Reasoner.Experts.baseOnly();
            case "few-shot" -> new Reasoner.Experts(null, null, null, null, true);
            case "routed" -> Reasoner.Experts.routed(gate(answering.topK, answering.temperature));
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
