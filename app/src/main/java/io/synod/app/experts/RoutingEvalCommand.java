// `synod experts eval`: answers a question file with the router choosing each sub-question's expert, and reports
// routing accuracy, hits@1, the gate's cost, and optionally the fixed-expert baselines on the same questions.
package io.synod.app.experts;

import io.synod.app.ask.AnsweringOptions;
import io.synod.app.ask.QuestionsOption;
import io.synod.decomposer.reasoning.AskOptions;
import io.synod.decomposer.reasoning.Evaluation;
import io.synod.decomposer.reasoning.Evaluation.Question;
import io.synod.decomposer.reasoning.Evaluation.Report;
import io.synod.decomposer.reasoning.Reasoner;
import io.synod.kg.KnowledgeGraph;
import io.synod.solvers.answering.ModelSolver;
import io.synod.decomposer.training.TrainingCorpus;
import io.synod.solvers.experts.ExpertGate;
import io.synod.solvers.experts.GateDecision;
import io.synod.solvers.experts.GateOptions;
import io.synod.solvers.experts.RoutedCall;
import io.synod.solvers.knowledge.WalkGraph;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Measure the router: routing accuracy and hits@1 with every sub-question routed by the gate.",
            "Answers the questions of a JSON Lines file ({\"id\", \"question\", \"answers\": [...]}) with every",
            "sub-question routed by the gate (--gate), and reports routing accuracy (the share of sub-questions whose",
            "top expert was trained for the sub-task of the role that asked: decompose, walk, direct, compose, or a",
            "specialist trained on that part of it: lexical-walk for a walk at WordNet nouns, count-compare for an",
            "answer that counts or compares), the strict accuracy (the role's own expert only), by sub-task, hits@1,",
            "and the gate's time per sub-question. --compare also routes the same prompts with the other gates.",
            "--baselines also answers the same questions with the trained experts fixed per role, with no adapter,",
            "and with each expert in every role.",
            "The last line is `routing_accuracy: <value>`."
        })
public final class RoutingEvalCommand implements Callable<Integer> {

    @Mixin QuestionsOption questions;

    @Option(names = "--every", defaultValue = "1", paramLabel = "N",
            description = "Take every Nth question of the file, from the first; --limit counts the questions taken"
                    + " (default: ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--gate", defaultValue = "auto", paramLabel = "GATE",
            description = "trained (adapters/gate.json), similarity, or auto: trained when there is one (default: ${DEFAULT-VALUE}).")
    String gateKind;

    @Option(names = "--layers", defaultValue = "" + GateOptions.DEFAULT_LAYERS, paramLabel = "N",
            description = "The similarity gate's state: after N decoder layers, 0 the token embeddings, -1 the last"
                    + " (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--compare", description = "Also route every routed prompt with the other gates (the trained gate,"
            + " the similarity gate on the embeddings and on the last layer) and report their routing accuracy.")
    boolean compare;

    @Option(names = "--experts", split = ",", paramLabel = "NAME",
            description = "The experts routed among (default: every resident expert with exemplars).")
    List<String> experts;

    @Option(names = "--baselines", description = "Also answer with fixed experts: trained per role, none, and each in every role.")
    boolean baselines;

    @Option(names = "--report", paramLabel = "FILE", description = "Write every figure and routing decision as JSON.")
    Path report;

    @Mixin AnsweringOptions answering;
    @Spec CommandSpec spec;

    /** One fixed-expert run over the same questions. */
    record Baseline(String experts, double hitsAt1, double p50Millis) {
    }

    /** The routing figures of one sub-task. */
    record TaskRouting(int decisions, double accuracy, double strictAccuracy, Map<String, Integer> routedTo) {
    }

    /** Another gate's routing of the same prompts. */
    record GateComparison(String gate, double accuracy, double strictAccuracy, double p50Millis) {
    }

    @Override
    public Integer call() throws Exception {
        if (every < 1) {
            throw new IllegalArgumentException("--every must be at least 1, got " + every);
        }
        int topK = answering.topK();
        double temperature = answering.temperature();
        GateOptions gate;
        try {
            gate = new GateOptions(experts == null ? List.of() : experts, temperature, topK, GateOptions.Kind.parse(gateKind),
                    layers);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--gate " + gateKind + " --layers " + layers + " --top-k " + topK
                    + " --temperature " + temperature + ": " + e.getMessage(), e);
        }
        AskOptions options = answering.askOptions();
        List<Question> chosen = questions.read(every);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<RoutedCall> calls = Collections.synchronizedList(new ArrayList<>());
        Report routed;
        List<Baseline> fixed = new ArrayList<>();
        List<GateComparison> comparisons = new ArrayList<>();
        String routedBy;
        try (KnowledgeGraph knowledgeGraph = answering.openGraph();
             ModelSolver solver = answering.model().load()) {
            WalkGraph walkGraph = new WalkGraph(knowledgeGraph);
            ExpertGate used = ExpertGate.of(solver, gate);
            routedBy = used.kind() + " gate on the state after " + used.layers() + " layers over " + used.experts();
            Reasoner router = new Reasoner(solver, walkGraph, Reasoner.Experts.routed(gate), calls::add);
            routed = Evaluation.run(router, chosen, options, result -> { });
            if (compare) {
                comparisons = compare(solver, gate, List.copyOf(calls));
            }
            if (baselines) {
                Map<String, Reasoner.Experts> runs = new LinkedHashMap<>();
                runs.put("trained experts, fixed per role", Reasoner.Experts.standard());
                runs.put("no adapter", Reasoner.Experts.baseOnly());
                for (String expert : solver.experts()) {
                    runs.put(expert + " in every role", Reasoner.Experts.everywhere(expert));
                }
                for (Map.Entry<String, Reasoner.Experts> run : runs.entrySet()) {
                    err.println("baseline: " + run.getKey() + " ...");
                    err.flush();
                    Report result = Evaluation.run(new Reasoner(solver, walkGraph, run.getValue()), chosen, options,
                            one -> { });
                    fixed.add(new Baseline(run.getKey(), result.overall().hitsAt1(), result.p50Millis()));
                }
            }
        }
        if (calls.isEmpty()) {
            throw new IllegalStateException("no sub-question was routed: the " + chosen.size() + " questions made no"
                    + " model call under strategy " + answering.strategy());
        }
        Map<String, TaskRouting> byTask = byTask(calls);
        double accuracy = accuracy(calls, RoutingEvalCommand::trainedFor);
        double strict = accuracy(calls, RoutedCall::correct);
        double[] gateMillis = calls.stream().mapToDouble(call -> call.decision().nanos() / 1e6).sorted().toArray();

        out.printf(Locale.ROOT, "experts eval on %s: %d questions (every %sline), strategy %s, top-%d, temperature %s%n",
                questions.file(), chosen.size(), every == 1 ? "" : ordinal(every) + " ", options.strategy().label(), topK,
                temperature);
        out.println("routed by the " + routedBy);
        out.printf(Locale.ROOT, "routed: hits@1 %.4f, latency p50 %.0f ms, p95 %.0f ms%n", routed.overall().hitsAt1(),
                routed.p50Millis(), routed.p95Millis());
        out.printf(Locale.ROOT, "sub-questions routed: %d; gate time per sub-question mean %.2f ms, p50 %.2f ms, p95 %.2f ms%n",
                calls.size(), Statistics.mean(gateMillis), Statistics.percentile(gateMillis, 0.5), Statistics.percentile(gateMillis, 0.95));
        out.printf(Locale.ROOT, "routing accuracy %.4f (an expert trained for the sub-task or its part), strict %.4f (the"
                + " role's own expert)%n", accuracy, strict);
        out.println("by sub-task (the role that asked): decisions, accuracy, strict accuracy, experts routed to");
        byTask.forEach((task, routing) -> out.printf(Locale.ROOT, "  %-10s %5d  %.4f  %.4f  %s%n", task, routing.decisions(),
                routing.accuracy(), routing.strictAccuracy(), routing.routedTo()));
        if (!comparisons.isEmpty()) {
            out.println("the same prompts routed by each gate (top-1): accuracy, strict accuracy, gate time p50");
            for (GateComparison comparison : comparisons) {
                out.printf(Locale.ROOT, "  %-44s %.4f  %.4f  %.2f ms%n", comparison.gate(), comparison.accuracy(),
                        comparison.strictAccuracy(), comparison.p50Millis());
            }
        }
        if (!fixed.isEmpty()) {
            out.println("the same questions with fixed experts:");
            for (Baseline baseline : fixed) {
                out.printf(Locale.ROOT, "  %-34s hits@1 %.4f  latency p50 %.0f ms%n", baseline.experts(), baseline.hitsAt1(),
                        baseline.p50Millis());
            }
        }
        if (report != null) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("questions", chosen.size());
            json.put("strategy", options.strategy().label());
            json.put("gate", gate);
            json.put("gate_used", routedBy);
            json.put("routing_accuracy", accuracy);
            json.put("strict_routing_accuracy", strict);
            json.put("gate_comparisons", comparisons);
            json.put("by_task", byTask);
            json.put("gate_millis_mean", Statistics.mean(gateMillis));
            json.put("routed", routed);
            json.put("baselines", fixed);
            json.put("decisions", calls.stream().map(call -> Map.of("task", call.task(), "chosen", call.decision().spec(),
                    "probabilities", call.decision().probabilities(), "correct", trainedFor(call),
                    "strict", call.correct())).toList());
            if (report.toAbsolutePath().getParent() != null) {
                Files.createDirectories(report.toAbsolutePath().getParent());
            }
            ExpertsCommand.JSON.writeValue(report.toFile(), json);
        }
        out.printf(Locale.ROOT, "routing_accuracy: %.4f%n", accuracy);
        return 0;
    }

    private static Map<String, TaskRouting> byTask(List<RoutedCall> calls) {
        Map<String, List<RoutedCall>> grouped = new TreeMap<>();
        for (RoutedCall call : calls) {
            grouped.computeIfAbsent(call.task(), task -> new ArrayList<>()).add(call);
        }
        Map<String, TaskRouting> byTask = new LinkedHashMap<>();
        grouped.forEach((task, list) -> {
            Map<String, Integer> routedTo = new TreeMap<>();
            list.forEach(call -> routedTo.merge(call.decision().top(), 1, Integer::sum));
            byTask.put(task, new TaskRouting(list.size(), accuracy(list, RoutingEvalCommand::trainedFor),
                    accuracy(list, RoutedCall::correct), routedTo));
        });
        return byTask;
    }

    /** Whether the call's top expert was trained for its sub-task or for the part of it the prompt is of. */
    static boolean trainedFor(RoutedCall call) {
        return TrainingCorpus.trainedFor(call.chosenTask(), call.task(), call.prompt());
    }

    private static double accuracy(List<RoutedCall> calls, java.util.function.Predicate<RoutedCall> right) {
        return (double) calls.stream().filter(right).count() / calls.size();
    }

    /** The routed prompts routed again, top-1, by each gate the model has, the one used included. */
    private static List<GateComparison> compare(ModelSolver solver, GateOptions used, List<RoutedCall> calls) {
        Map<String, GateOptions> gates = new LinkedHashMap<>();
        if (solver.trainedGate().isPresent()) {
            gates.put("trained", used.withKind(GateOptions.Kind.TRAINED).withTopK(1));
        }
        gates.put("similarity, embeddings (0 layers)", used.withKind(GateOptions.Kind.SIMILARITY).withLayers(0).withTopK(1));
        gates.put("similarity, last layer (" + solver.model().config().layers() + " layers)",
                used.withKind(GateOptions.Kind.SIMILARITY).withLayers(-1).withTopK(1));
        List<GateComparison> result = new ArrayList<>();
        for (Map.Entry<String, GateOptions> entry : gates.entrySet()) {
            ExpertGate gate = ExpertGate.of(solver, entry.getValue());
            List<RoutedCall> again = new ArrayList<>();
            double[] millis = new double[calls.size()];
            for (RoutedCall call : calls) {
                GateDecision decision = gate.route(call.prompt());
                millis[again.size()] = decision.nanos() / 1e6;
                again.add(new RoutedCall(call.task(), decision, gate.taskOf(decision.top()), call.prompt()));
            }
            java.util.Arrays.sort(millis);
            result.add(new GateComparison(entry.getKey(), accuracy(again, RoutingEvalCommand::trainedFor),
                    accuracy(again, RoutedCall::correct), Statistics.percentile(millis, 0.5)));
        }
        return result;
    }

    private static String ordinal(int n) {
        String suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }

    /** Mean and percentiles of sorted values. */
    private static final class Statistics {
        static double mean(double[] values) {
            return java.util.Arrays.stream(values).average().orElse(0);
        }

        static double percentile(double[] sorted, double fraction) {
            if (sorted.length == 0) {
                return 0;
            }
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(fraction * sorted.length) - 1)];
        }
    }
}
