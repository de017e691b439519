// `synod experts eval`: answers a question file with the router choosing each sub-question's expert, and reports
// routing accuracy, hits@1, the gate's cost, and optionally the fixed-expert baselines on the same questions.
package io.synod.app.experts;

import io.synod.decomposer.reasoning.AskOptions;
import io.synod.decomposer.reasoning.Evaluation;
import io.synod.decomposer.reasoning.Evaluation.Question;
import io.synod.decomposer.reasoning.Evaluation.Report;
import io.synod.decomposer.reasoning.Reasoner;
import io.synod.decomposer.reasoning.Strategy;
import io.synod.kg.KnowledgeGraph;
import io.synod.solvers.answering.ModelSolver;
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
            "sub-question routed by the similarity gate, and reports routing accuracy (the share of sub-questions whose",
            "top expert is the one trained for the sub-task of the role that asked: decompose, walk, direct, compose),",
            "by sub-task, hits@1, and the gate's time per sub-question. --baselines also answers the same questions",
            "with the trained experts fixed per role, with no adapter, and with each expert in every role.",
            "The last line is `routing_accuracy: <value>`."
        })
public final class RoutingEvalCommand implements Callable<Integer> {

    @Option(names = "--questions", required = true, paramLabel = "FILE", description = "The questions, JSON Lines. Required.")
    Path questions;

    @Option(names = "--every", defaultValue = "1", paramLabel = "N",
            description = "Take every Nth question of the file, from the first (default: ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
            description = "At most N questions (after --every); 0 for all (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--strategy", defaultValue = "auto", paramLabel = "S",
            description = "auto, decomp, ksl, daslam or direct (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--top-k", defaultValue = "1", paramLabel = "K",
            description = "Experts mixed per sub-question, 1 to 8 (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--temperature", defaultValue = "" + GateOptions.DEFAULT_TEMPERATURE, paramLabel = "T",
            description = "The gate's softmax temperature (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--experts", split = ",", paramLabel = "NAME",
            description = "The experts routed among (default: every resident expert with exemplars).")
    List<String> experts;

    @Option(names = "--baselines", description = "Also answer with fixed experts: trained per role, none, and each in every role.")
    boolean baselines;

    @Option(names = "--graph", paramLabel = "DIR",
            description = "A TDB2 store written by `synod kg load` (default: the bundled world graph, in memory).")
    Path graph;

    @Option(names = "--report", paramLabel = "FILE", description = "Write every figure and routing decision as JSON.")
    Path report;

    @Mixin ModelOption model;
    @Spec CommandSpec spec;

    /** One fixed-expert run over the same questions. */
    record Baseline(String experts, double hitsAt1, double p50Millis) {
    }

    /** The routing figures of one sub-task. */
    record TaskRouting(int decisions, double accuracy, Map<String, Integer> routedTo) {
    }

    @Override
    public Integer call() throws Exception {
        if (every < 1) {
            throw new IllegalArgumentException("--every must be at least 1, got " + every);
        }
        GateOptions gate;
        try {
            gate = new GateOptions(experts == null ? List.of() : experts, temperature, topK);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--top-k " + topK + " --temperature " + temperature + ": " + e.getMessage(), e);
        }
        AskOptions options = AskOptions.defaults().withStrategy(Strategy.parse(strategy));
        List<Question> all = Evaluation.read(questions);
        List<Question> chosen = new ArrayList<>();
        for (int i = 0; i < all.size() && (limit <= 0 || chosen.size() < limit); i += every) {
            chosen.add(all.get(i));
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<RoutedCall> calls = Collections.synchronizedList(new ArrayList<>());
        Report routed;
        List<Baseline> fixed = new ArrayList<>();
        try (KnowledgeGraph knowledgeGraph = graph == null ? KnowledgeGraph.bundled() : KnowledgeGraph.open(graph);
             ModelSolver solver = model.load()) {
            WalkGraph walkGraph = new WalkGraph(knowledgeGraph);
            Reasoner router = new Reasoner(solver, walkGraph, Reasoner.Experts.routed(gate), calls::add);
            routed = Evaluation.run(router, chosen, options, result -> { });
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
                    + " model call under strategy " + strategy);
        }
        Map<String, TaskRouting> byTask = byTask(calls);
        long right = calls.stream().filter(RoutedCall::correct).count();
        double accuracy = (double) right / calls.size();
        double[] gateMillis = calls.stream().mapToDouble(call -> call.decision().nanos() / 1e6).sorted().toArray();

        out.printf(Locale.ROOT, "experts eval on %s: %d questions (every %s line), strategy %s, top-%d, temperature %s%n",
                questions, chosen.size(), every == 1 ? "" : ordinal(every), options.strategy().label(), topK, temperature);
        out.printf(Locale.ROOT, "routed: hits@1 %.4f, latency p50 %.0f ms, p95 %.0f ms%n", routed.overall().hitsAt1(),
                routed.p50Millis(), routed.p95Millis());
        out.printf(Locale.ROOT, "sub-questions routed: %d; gate time per sub-question mean %.2f ms, p50 %.2f ms, p95 %.2f ms%n",
                calls.size(), Statistics.mean(gateMillis), Statistics.percentile(gateMillis, 0.5), Statistics.percentile(gateMillis, 0.95));
        out.println("by sub-task (the role that asked): decisions, accuracy, experts routed to");
        byTask.forEach((task, routing) -> out.printf(Locale.ROOT, "  %-10s %5d  %.4f  %s%n", task, routing.decisions(),
                routing.accuracy(), routing.routedTo()));
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
            json.put("routing_accuracy", accuracy);
            json.put("by_task", byTask);
            json.put("gate_millis_mean", Statistics.mean(gateMillis));
            json.put("routed", routed);
            json.put("baselines", fixed);
            json.put("decisions", calls.stream().map(call -> Map.of("task", call.task(), "chosen", call.decision().spec(),
                    "probabilities", call.decision().probabilities(), "correct", call.correct())).toList());
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
            byTask.put(task, new TaskRouting(list.size(),
                    (double) list.stream().filter(RoutedCall::correct).count() / list.size(), routedTo));
        });
        return byTask;
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
