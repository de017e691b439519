// The --graph option shared by the `synod kg` commands: the bundled world graph unless a file or TDB2 store is named.
package io.synod.app.kg;

import io.synod.kg.KnowledgeGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

final class GraphOption {

    @Option(names = {"-g", "--graph"}, paramLabel = "PATH",
            description = {
                "Graph to use: a Turtle (.ttl), N-Triples (.nt) or TSV (.tsv) file, each optionally gzipped,",
                "or a TDB2 directory made by `synod kg load`. Default: the bundled world graph, in memory."
            })
    Path graph;

    KnowledgeGraph open() {
        if (graph == null) {
            return KnowledgeGraph.bundled();
        }
        if (!Files.exists(graph)) {
            throw new IllegalArgumentException("--graph " + graph + ": no such file or directory");
        }
        return KnowledgeGraph.open(graph);
    }
}
