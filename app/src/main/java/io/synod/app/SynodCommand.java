// The `synod` command line: the entry point of the runnable jar and of bin/synod.
package io.synod.app;

import io.synod.app.ask.AskCommand;
import io.synod.app.ask.EvalCommand;
import io.synod.app.experts.ExpertsCommand;
import io.synod.app.kg.KgCommand;
import io.synod.app.model.ModelCommand;
import io.synod.app.serve.ServeCommand;
import io.synod.app.train.TrainCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "synod",
        mixinStandardHelpOptions = true,
        versionProvider = SynodCommand.Version.class,
        description = {
            "Synod: an actor-based multi-agent reasoning orchestrator.",
            "Answers questions with language models and a knowledge graph, offline, on the embedded default.",
        },
        subcommands = {ServeCommand.class, AskCommand.class, EvalCommand.class, ExpertsCommand.class, KgCommand.class,
            ModelCommand.class, TrainCommand.class, CommandLine.HelpCommand.class})
public final class SynodCommand {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the full stack trace when a command fails.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line and returns its exit code: 0 success, 1 failure, 2 bad usage. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        SynodCommand root = new SynodCommand();
        CommandLine commandLine = new CommandLine(root);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            if (root.verbose) {
                exception.printStackTrace(failed.getErr());
            } else {
                failed.getErr().println("synod: " + messageOf(exception));
            }
            return 1;
        });
        int exitCode = commandLine.execute(args);
        out.flush();
        err.flush();
        return exitCode;
    }

    private static String messageOf(Throwable exception) {
        String message = exception.getMessage();
        return message == null || message.isBlank() ? exception.getClass().getSimpleName() : message;
    }

    /** Reports the version from the jar manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = SynodCommand.class.getPackage().getImplementationVersion();
            return new String[] {"synod " + (version == null ? "development" : version)};
        }
    }
}
