// Entry point of the benchmark jar: `java -jar synod-bench.jar <benchmark>`.
package io.synod.bench;

import io.synod.bench.adapters.AdapterBenchmark;
import io.synod.bench.cluster.ClusterBenchmark;
import io.synod.bench.experts.RoutingBenchmark;
import io.synod.bench.kg.KnowledgeGraphBenchmark;
import io.synod.bench.model.NativeMemoryBenchmark;
import io.synod.bench.orchestration.OrchestrationBenchmark;
import io.synod.bench.runtime.RuntimeBenchmark;
import java.util.Arrays;

public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        String name = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (name) {
            case "kg" -> KnowledgeGraphBenchmark.main(rest);
            case "kg-load-once" -> KnowledgeGraphBenchmark.loadOnce(rest);
            case "runtime" -> RuntimeBenchmark.main(rest);
            case "memory" -> NativeMemoryBenchmark.main(rest);
            case "adapters" -> AdapterBenchmark.main(rest);
            case "routing" -> RoutingBenchmark.main(rest);
            case "orchestration" -> OrchestrationBenchmark.main(rest);
            case "cluster" -> ClusterBenchmark.main(rest);
            default -> {
                System.err.println("usage: synod-bench kg [--runs N]   (knowledge-graph figures)");
                System.err.println("       synod-bench runtime [--help | options]   (model-runtime figures against Jlama)");
                System.err.println("       synod-bench adapters [--help | options]   (LoRA serving figures)");
                System.err.println("       synod-bench routing [--rounds N] [--threads N]   (the expert gate's and mixtures' cost)");
                System.err.println("       synod-bench orchestration [--help | options]   (actors' cost against LangChain4j)");
                System.err.println("       synod-bench cluster [--help | options]   (solver nodes on Pekko Cluster: throughput, adapter loads)");
                System.exit(2);
            }
        }
    }
}
