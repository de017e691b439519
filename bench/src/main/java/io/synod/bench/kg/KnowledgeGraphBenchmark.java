// Knowledge-graph figures: cold-JVM load time, TDB2 reopen time, heap after load, entity-linking and
// neighbourhood latency, with Jena's SPARQL engine as the peer for neighbourhood look-ups.
package io.synod.bench.kg;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.synod.bench.BenchCommand;
import io.synod.bench.Latencies;
import io.synod.bench.WorkDirectory;
import io.synod.kg.KnowledgeGraph;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench/run kg", sortOptions = false,
        description = "Knowledge-graph figures: cold-JVM load, TDB2 reopen, heap after load, entity linking and"
                + " neighbourhoods (against Jena's SPARQL engine).")
public final class KnowledgeGraphBenchmark implements Callable<Integer> {
    private static final String WORLD = "http://synod.io/world/";

    @Option(names = "--runs", defaultValue = "3", paramLabel = "N", converter = BenchCommand.Positive.class,
            description = "cold-JVM loads and reopens, in child JVMs; medians (${DEFAULT-VALUE})")
    int runs;

    @Mixin
    BenchCommand.Help help;

    private KnowledgeGraphBenchmark() {}

    public static void main(String[] args) {
        BenchCommand.execute(new KnowledgeGraphBenchmark(), args);
    }

    @Override
    public Integer call() throws Exception {
        System.out.printf("java %s, %d processors, max heap of child JVMs %s%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), childHeap());

        Path tdb2 = Files.createTempDirectory("synod-bench-tdb2");
        try {
            coldLoads(runs, tdb2);
            inProcessLatencies();
        } finally {
            WorkDirectory.deleteRecursively(tdb2);
        }
        return 0;
    }

    /** Loads in fresh JVMs: the bundled graph in memory, then a TDB2 store created once and reopened. */
    private static void coldLoads(int runs, Path tdb2) throws Exception {
        double[] memoryLoads = new double[runs];
        double[] heaps = new double[runs];
        long triples = 0;
        for (int run = 0; run < runs; run++) {
            String[] fields = child("memory").split(" ");
            triples = Long.parseLong(fields[0]);
            memoryLoads[run] = Double.parseDouble(fields[1]);
            heaps[run] = Double.parseDouble(fields[2]);
        }
        System.out.printf("triples in the bundled graph: %,d%n", triples);
        System.out.printf(Locale.ROOT, "cold-JVM load, in memory (median of %d): %.2f s (process start to ready)%n",
                runs, Latencies.median(memoryLoads));
        System.out.printf(Locale.ROOT, "heap after load, after GC (median): %.0f MiB%n", Latencies.median(heaps));

        String created = child("tdb2-create", tdb2.toString());
        System.out.printf(Locale.ROOT, "TDB2 store created: %s s%n", created.split(" ")[1]);
        double[] reopens = new double[runs];
        for (int run = 0; run < runs; run++) {
            reopens[run] = Double.parseDouble(child("tdb2-open", tdb2.toString()).split(" ")[1]);
        }
        System.out.printf(Locale.ROOT, "cold-JVM reopen of the TDB2 store (median of %d): %.2f s%n",
                runs, Latencies.median(reopens));
    }

    /** Runs one load in a child JVM; it prints "triples seconds heapMiB" on its last line. */
    private static String child(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), childHeap(), "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), "io.synod.bench.BenchMain", "kg-load-once"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("child JVM failed: " + String.join(" ", args));
        }
        String[] lines = output.split("\n");
        return lines[lines.length - 1];
    }

    private static String childHeap() {
        return "-Xmx6g";
    }

    /** Child JVM side: the time is measured from the JVM's start, so class loading counts too. */
    public static void loadOnce(String[] args) {
        KnowledgeGraph.Builder builder = KnowledgeGraph.builder();
        KnowledgeGraph graph = switch (args[0]) {
            case "memory" -> KnowledgeGraph.bundled();
            case "tdb2-create" -> builder.addBundledWorld().optTdb2Directory(Path.of(args[1])).build();
            case "tdb2-open" -> KnowledgeGraph.open(Path.of(args[1]));
            default -> throw new IllegalArgumentException("unknown load mode " + args[0]);
        };
        double seconds = (System.currentTimeMillis()
                - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
        long triples = graph.stats().triples();
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        double heapMiB = (runtime.totalMemory() - runtime.freeMemory()) / (1024.0 * 1024.0);
        System.out.printf(Locale.ROOT, "%d %.3f %.0f%n", triples, seconds, heapMiB);
        graph.close();
    }

    private static void inProcessLatencies() throws IOException {
        try (KnowledgeGraph graph = KnowledgeGraph.bundled()) {
            List<String> sentences = questions("test.jsonl");
            System.out.printf("entity-linking inputs: %d questions of the test split%n", sentences.size());

            Latencies mentions = new Latencies();
            for (int pass = 0; pass < 3; pass++) {           // two warm-up passes, the third is measured
                for (String sentence : sentences) {
                    long start = System.nanoTime();
                    graph.mentions(sentence);
                    if (pass == 2) {
                        mentions.add(System.nanoTime() - start);
                    }
                }
            }
            System.out.println("mentions(question):           " + mentions.summary());

            findLatency(graph, "exact names", List.of("Lome", "Cote d'Ivoire", "Paris", "New York City",
                    "Ouagadougou", "dog", "Bosnia and Herzegovina", "west african cfa franc"));
            findLatency(graph, "misspelled", List.of("Tokio", "Germny", "Ouagadugu", "Bosnia Herzegowina",
                    "Lmoe", "Cote dIvore", "Amsterdm", "elephnt"));

            neighbourhoods(graph, "City", 2000);
            neighbourhoods(graph, "Synset", 2000);
            neighbourhoods(graph, "Country", 250);
        }
    }

    private static void findLatency(KnowledgeGraph graph, String kind, List<String> names) {
        Latencies find = new Latencies();
        for (int pass = 0; pass < 200; pass++) {               // the first 100 passes warm up
            for (String name : names) {
                long start = System.nanoTime();
                graph.find(name, 10);
                if (pass >= 100) {
                    find.add(System.nanoTime() - start);
                }
            }
        }
        System.out.printf("find(name, 10), %-12s %s%n", kind + ":", find.summary());
    }

    /** Out- and in-edges of a random sample of one class, against the same look-up in SPARQL. */
    private static void neighbourhoods(KnowledgeGraph graph, String type, int sample) {
        List<String> ids = new ArrayList<>();
        for (List<String> row : graph.sparql("SELECT ?e WHERE { ?e a <" + WORLD + "class/" + type + "> }").rows()) {
            ids.add(row.get(0));
        }
        java.util.Collections.shuffle(ids, new Random(7));
        List<String> chosen = ids.subList(0, Math.min(sample, ids.size()));
        Latencies direct = new Latencies();
        Latencies sparql = new Latencies();
        for (int pass = 0; pass < 3; pass++) {
            for (String id : chosen) {
                long start = System.nanoTime();
                graph.outEdges(id);
                graph.inEdges(id);
                long middle = System.nanoTime();
                graph.sparql("SELECT ?p ?o ?ol ?s ?sl WHERE { { <" + id + "> ?p ?o OPTIONAL { ?o <http://www.w3.org/2000/01/rdf-schema#label> ?ol } }"
                        + " UNION { ?s ?p <" + id + "> OPTIONAL { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?sl } } }");
                long end = System.nanoTime();
                if (pass == 2) {
                    direct.add(middle - start);
                    sparql.add(end - middle);
                }
            }
        }
        System.out.printf(Locale.ROOT, "neighbourhood of a %-8s out+in edges: %s; SPARQL peer p50 %.1f µs (%.1fx)%n",
                type + ":", direct.summary(), sparql.percentileMicros(0.5),
                sparql.percentileMicros(0.5) / direct.percentileMicros(0.5));
    }

    private static List<String> questions(String split) throws IOException {
        String resource = "/io/synod/kg/world/questions/" + split;
        ObjectMapper json = new ObjectMapper();
        List<String> sentences = new ArrayList<>();
        try (InputStream in = KnowledgeGraphBenchmark.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("question set " + resource + " is not on the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    sentences.add(json.readTree(line).get("question").asText());
                }
            }
        }
        return sentences;
    }

}
