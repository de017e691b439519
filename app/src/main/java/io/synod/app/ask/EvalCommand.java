// `synod eval`: answers a question file and reports hits@1 overall, by family, hops and phrasing, and latency.
package io.synod.app.ask;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.synod.decomposer.reasoning.AskOptions;
import io.synod.decomposer.reasoning.Evaluation;
import io.synod.decomposer.reasoning.Evaluation.Question;
import io.synod.decomposer.reasoning.Evaluation.Report;
import io.synod.decomposer.reasoning.Evaluation.Tally;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Answer every question of a JSON Lines file ({\"id\", \"question\", \"answers\": [...]}, other fields kept",
            "for breakdowns) and report hits@1 (the first answer item against every gold form, ignoring case, accents",
            "and punctuation) overall, by family, hops and phrasing, with latency p50/p95. The last line is `hits@1: <value>`.",
            "The bundled question set is in knowledge-graph/src/main/resources/io/synod/kg/world/questions/."
        })
public final class EvalCommand implements Callable<Integer> {

    @Mixin
    QuestionsOption questions;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the report with every question's result as JSON.")
    Path report;

    @Option(names = "--progress-every", defaultValue = "100", paramLabel = "N",
            description = "Print the running hits@1 every N questions (default: ${DEFAULT-VALUE}).")
    int progressEvery;

    @Option(names = "--workers", defaultValue = "1", paramLabel = "N",
            description = "Questions answered at once, each worker with its own copy of the model (default: ${DEFAULT-VALUE}).")
    int workers;

    @Mixin
    Pipeline pipeline;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AskOptions options = pipeline.askOptions();
        List<Question> chosen = questions.read(1);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Report result;
        if (workers < 1 || workers > 16) {
            throw new IllegalArgumentException("--workers must be between 1 and 16, got " + workers);
        }
        try (Pipeline.Loaded loaded = pipeline.load(workers)) {
            AtomicInteger done = new AtomicInteger();
            AtomicInteger hits = new AtomicInteger();
            result = Evaluation.run(loaded.reasoners(), chosen, options, one -> {
                int count = done.incrementAndGet();
                if (one.hit()) {
                    hits.incrementAndGet();
                }
                if (progressEvery > 0 && count % progressEvery == 0) {
                    err.printf(Locale.ROOT, "%d/%d questions, hits@1 so far %.4f%n", count, chosen.size(),
                            (double) hits.get() / count);
                    err.flush();
                }
            });
        }
        if (report != null) {
            if (report.toAbsolutePath().getParent() != null) {
                Files.createDirectories(report.toAbsolutePath().getParent());
            }
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(report.toFile(), result);
        }
        out.printf(Locale.ROOT, "strategy %s on %s: %d questions%n", result.strategy(), questions.file(),
                result.overall().questions());
        for (Map.Entry<String, Map<String, Tally>> breakdown : result.breakdowns().entrySet()) {
            out.println("by " + breakdown.getKey() + ":");
            breakdown.getValue().forEach((key, tally) -> out.printf(Locale.ROOT, "  %-28s %5d  hits@1 %.4f%n", key,
                    tally.questions(), tally.hitsAt1()));
        }
        out.printf(Locale.ROOT, "latency p50 %.0f ms, p95 %.0f ms%n", result.p50Millis(), result.p95Millis());
        out.printf(Locale.ROOT, "hits@1: %.4f%n", result.overall().hitsAt1());
        return 0;
    }
}
