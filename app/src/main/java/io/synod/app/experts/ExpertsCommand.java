// `synod experts`: the expert bank (list), K-shot expert selection (select) and the router's evaluation (eval).
package io.synod.app.experts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.synod.adapters.experts.ExpertCard;
import io.synod.app.ask.ModelOption;
import io.synod.adapters.experts.LinearGate;
import io.synod.adapters.experts.KShotExample;
import io.synod.adapters.experts.KShotExamples;
import io.synod.adapters.experts.KShotSelection;
import io.synod.adapters.lora.LoraAdapter;
import io.synod.adapters.lora.LoraConfig;
import io.synod.adapters.lora.TargetModules;
import io.synod.solvers.answering.ModelSolver;
import io.synod.solvers.experts.ExpertSelector;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "experts",
        mixinStandardHelpOptions = true,
        description = {
            "The expert bank: LoRA adapters with their cards (expert.json: description, training, exemplars).",
            "list shows the bank, select chooses experts for a task from K labelled examples (Yang et al. 2024),",
            "eval measures the router that picks each sub-question's expert. docs/experts.md explains all three."
        },
        subcommands = {ExpertsCommand.ListCommand.class, ExpertsCommand.SelectCommand.class, RoutingEvalCommand.class})
public final class ExpertsCommand {

    /** snake_case JSON, as the HTTP API writes it. */
    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the experts of the model's adapters/ directory: task, rank, description, training and"
                    + " exemplars.")
    static final class ListCommand implements Callable<Integer> {
        @Mixin ModelOption model;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            Path adapters = model.directory().resolve("adapters");
            List<Path> directories;
            try (Stream<Path> entries = Files.list(adapters)) {
                directories = entries.filter(entry -> Files.isRegularFile(entry.resolve(LoraAdapter.CONFIG_FILE)))
                        .sorted().toList();
            }
            out.println("experts in " + adapters + ":");
            for (Path directory : directories) {
                String name = directory.getFileName().toString();
                LoraConfig config = LoraAdapter.read(name, directory).config();
                Optional<ExpertCard> card = ExpertCard.read(directory);
                out.printf(Locale.ROOT, "%n%s  (LoRA rank %d, alpha %s, %s)%n", name, config.rank(),
                        trim(config.alpha()), config.targets() instanceof TargetModules.Names names
                                ? String.join(",", names.names()) : config.targets().toString());
                if (card.isEmpty()) {
                    out.println("  no " + ExpertCard.FILE + ": an adapter without metadata (the router cannot route to it)");
                    continue;
                }
                out.println("  task:        " + card.get().task());
                out.println("  description: " + card.get().description());
                out.println("  domain:      " + card.get().domain());
                out.println("  trained on:  " + card.get().trainedOn());
                out.println("  exemplars:   " + card.get().exemplars().size() + ", the first:");
                card.get().exemplars().stream().limit(1).forEach(exemplar -> {
                    exemplar.input().lines().forEach(line -> out.println("    | " + line));
                    out.println("    => " + exemplar.output().strip());
                });
            }
            Optional<LinearGate> gate = LinearGate.read(adapters);
            if (gate.isPresent()) {
                out.printf(Locale.ROOT, "%ntrained gate (%s) over %s, on the state after %d layers%n", LinearGate.FILE,
                        String.join(", ", gate.get().experts()), gate.get().layers());
                out.println("  trained on:  " + gate.get().trainedOn());
            } else {
                out.println();
                out.println("no trained gate (" + LinearGate.FILE + "): the router uses the similarity gate");
            }
            return 0;
        }

        private static String trim(double value) {
            return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
        }
    }

    @Command(name = "select", mixinStandardHelpOptions = true,
            description = {
                "Choose experts for a task from K labelled examples (K-shot selection, Yang et al. 2024).",
                "Every candidate runs on the examples (exact match of its generated output, perplexity of the gold",
                "output) and is ranked on each; the top M by summed rank are kept, and among the groups of N of those",
                "the one with the lowest quality rank plus diversity rank (diversity: the mean pairwise cosine of the",
                "adapters' updates) is chosen. Prints the whole table, the groups and the choice."
            })
    static final class SelectCommand implements Callable<Integer> {
        @Option(names = "--kshot", required = true, paramLabel = "FILE",
                description = "The labelled examples, JSON Lines: question-set lines {\"question\", \"answers\": [...]}"
                        + " or training lines {\"prompt\", \"completion\"}. Required.")
        Path kshot;

        @Option(names = "--candidates", split = ",", paramLabel = "NAME",
                description = "Experts to consider, comma-separated: resident experts or adapters of the catalogue"
                        + " (default: all of them).")
        List<String> candidates;

        @Option(names = "-M", defaultValue = "8", paramLabel = "M",
                description = "Candidates kept by summed rank, 1 to " + KShotSelection.MAX_KEPT + " (default: ${DEFAULT-VALUE}).")
        int m;

        @Option(names = "-N", paramLabel = "N",
                description = "The size of the chosen group, 1 to M (default: 4, or M when M is smaller; fewer when"
                        + " fewer candidates could be measured).")
        Integer n;

        @Option(names = "--catalogue", paramLabel = "DIR",
                description = "Where candidates that are not resident are read from (default: the model's adapters/).")
        Path catalogue;

        @Option(names = "--json", description = "Print the report as JSON (the shape POST /v1/experts/select answers).")
        boolean json;

        @Mixin ModelOption model;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            List<KShotExample> examples = KShotExamples.read(kshot);
            Path bank = catalogue != null ? catalogue : model.directory().resolve("adapters");
            ExpertSelector.Report report;
            try (ModelSolver solver = model.load()) {
                report = ExpertSelector.select(solver, bank, candidates == null ? List.of() : candidates, examples,
                        m, n == null ? Math.min(4, Math.max(m, 1)) : n);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(JSON.writeValueAsString(view(report)));
                return 0;
            }
            print(report, kshot, out);
            return 0;
        }
    }

    /** The report in the HTTP API's shape: scores that are not numbers (a failed candidate's) are null. */
    static Map<String, Object> view(ExpertSelector.Report report) {
        KShotSelection.Selection selection = report.selection();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("examples", selection.examples());
        view.put("m", selection.m());
        view.put("n", selection.n());
        view.put("chosen", selection.experts());
        view.put("reason", selection.reason());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (KShotSelection.Row row : selection.table()) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("name", row.name());
            line.put("exact_match", Double.isFinite(row.exactMatch()) ? row.exactMatch() : null);
            line.put("perplexity", Double.isFinite(row.perplexity()) ? row.perplexity() : null);
            line.put("exact_match_rank", row.exactMatchRank());
            line.put("perplexity_rank", row.perplexityRank());
            line.put("summed_rank", row.summedRank());
            line.put("position", row.position());
            line.put("kept", row.kept());
            line.put("chosen", row.chosen());
            if (row.error() != null) {
                line.put("error", row.error());
            }
            rows.add(line);
        }
        view.put("candidates", rows);
        view.put("groups", selection.groups());
        view.put("similarity", selection.similarity());
        view.put("elapsed_ms", report.millis());
        return view;
    }

    static void print(ExpertSelector.Report report, Path kshot, PrintWriter out) {
        KShotSelection.Selection selection = report.selection();
        out.printf(Locale.ROOT, "K-shot selection on %d examples of %s: %d candidates, M = %d, N = %d (%.1f s)%n",
                selection.examples(), kshot, selection.table().size(), selection.m(), selection.n(), report.millis() / 1000.0);
        out.printf(Locale.ROOT, "%-14s %6s %11s %8s %9s %7s %5s %7s%n", "candidate", "EM", "perplexity", "EM rank",
                "ppl rank", "summed", "kept", "chosen");
        for (KShotSelection.Row row : selection.table()) {
            if (row.error() != null) {
                out.printf(Locale.ROOT, "%-14s skipped: %s%n", row.name(), row.error());
                continue;
            }
            out.printf(Locale.ROOT, "%-14s %6.3f %11.3f %8d %9d %7d %5s %7s%n", row.name(), row.exactMatch(),
                    row.perplexity(), row.exactMatchRank(), row.perplexityRank(), row.summedRank(),
                    row.kept() ? "yes" : "no", row.chosen() ? "yes" : "");
        }
        List<KShotSelection.Group> groups = selection.groups();
        out.printf(Locale.ROOT, "groups of %d, best first (%d in all):%n", selection.chosen().experts().size(), groups.size());
        for (KShotSelection.Group group : groups.subList(0, Math.min(10, groups.size()))) {
            out.printf(Locale.ROOT, "  %-40s quality rank %3d (mean summed rank %5.2f)  diversity rank %3d (mean cosine"
                            + " %6.3f)  combined %3d%n", "{" + String.join(", ", group.experts()) + "}", group.qualityRank(),
                    group.meanSummedRank(), group.diversityRank(), group.meanSimilarity(), group.combinedRank());
        }
        if (groups.size() > 10) {
            out.println("  ... " + (groups.size() - 10) + " more (--json lists them all)");
        }
        List<String> kept = List.copyOf(selection.similarity().keySet());
        out.println("cosine similarity of the kept adapters' updates (ΔW = s B A, all modules):");
        out.printf(Locale.ROOT, "  %-14s%s%n", "", String.join("", kept.stream().map(name -> String.format(Locale.ROOT,
                "%14s", name.length() > 13 ? name.substring(0, 13) : name)).toList()));
        for (String name : kept) {
            StringBuilder line = new StringBuilder();
            for (String other : kept) {
                line.append(String.format(Locale.ROOT, "%14.3f", selection.similarity().get(name).get(other)));
            }
            out.printf(Locale.ROOT, "  %-14s%s%n", name.length() > 14 ? name.substring(0, 14) : name, line);
        }
        out.println("why: " + selection.reason());
        out.println("chosen: " + String.join(", ", selection.experts()));
    }

    private ExpertsCommand() {
    }
}
