// Base of the `synod kg` commands that read a graph: opens it from --graph, runs, and closes it.
package io.synod.app.kg;

import io.synod.kg.KnowledgeGraph;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

abstract class GraphCommand implements Callable<Integer> {
    @Mixin GraphOption graphOption;
    @Spec CommandSpec spec;

    /** Does the command's work on the open graph; returns the exit code. */
    abstract int run(KnowledgeGraph graph, PrintWriter out) throws Exception;

    @Override
    public final Integer call() throws Exception {
        try (KnowledgeGraph graph = graphOption.open()) {
            return run(graph, spec.commandLine().getOut());
        }
    }

    /** Prints a one-line failure on stderr and returns the failure exit code. */
    int fail(String format, Object... args) {
        spec.commandLine().getErr().println("synod: " + String.format(format, args));
        return 1;
    }
}
