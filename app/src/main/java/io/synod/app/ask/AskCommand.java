// `synod ask`: answers one question through an embedded Synod (the actor system, as `synod serve` does) and prints
// the answer, the trace on request, or everything as JSON.
package io.synod.app.ask;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.synod.actors.Synod;
import io.synod.actors.SynodException;
import io.synod.decomposer.reasoning.Answer;
import io.synod.decomposer.reasoning.AskOptions;
import io.synod.decomposer.reasoning.Reasoner;
import io.synod.solvers.reasoning.TraceEvent;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "ask",
        mixinStandardHelpOptions = true,
        description = {
            "Answer a question with the embedded default model and the bundled knowledge graph.",
            "Prints the answer (\"unknown\" with the reason when none was found); --trace adds every step, --json",
            "prints the answer, program, paths and trace as one JSON object."
        })
public final class AskCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "QUESTION", description = "The question, in quotes.")
    String question;

    @Option(names = "--json", description = "Print the answer with its program, paths and trace as JSON.")
    boolean json;

    @Option(names = "--trace", description = "Print every step of the reasoning after the answer.")
    boolean trace;

    @Mixin
    Pipeline pipeline;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AskOptions options = pipeline.askOptions();
        Reasoner.validate(question);
        PrintWriter out = spec.commandLine().getOut();
        try (Synod synod = Synod.start(pipeline.synodConfig())) {
            Answer answer = answer(synod, options);
            if (json) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(answer));
                return 0;
            }
            out.println(answer.text());
            if (!answer.known() && answer.reason() != null) {
                out.println("  (" + answer.reason() + ")");
            }
            if (trace) {
                printTrace(out, answer);
            }
        }
        return 0;
    }

    /** Asks with the longest deadline Synod accepts: on the command line, waiting is the user's choice. */
    private Answer answer(Synod synod, AskOptions options) {
        try {
            return synod.ask(question, options, synod.settings().sessions().maxDeadline(), null)
                    .toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SynodException failure) {
                throw new IllegalStateException(failure.failure().message(), failure);
            }
            throw e;
        }
    }

    static void printTrace(PrintWriter out, Answer answer) {
        out.println();
        out.printf(Locale.ROOT, "strategy %s, %.0f ms%n", answer.strategy().label(), answer.millis());
        if (answer.program() != null) {
            out.println("program:");
            answer.program().lines().forEach(line -> out.println("  " + line));
        }
        for (String path : answer.paths()) {
            out.println("path: " + path);
        }
        out.println("trace:");
        for (TraceEvent event : answer.trace()) {
            out.printf(Locale.ROOT, "  %-10s %-10s %7.1f ms  %s%s%n", event.id(), event.handler()
                            + (event.adapter() == null ? "" : "/" + event.adapter()), event.durationMillis(),
                    event.input().isEmpty() ? "" : event.input() + " => ",
                    event.failed() ? "FAILED: " + event.error() : event.output());
        }
    }
}
