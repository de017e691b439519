// Native memory across many model calls: the process RSS before and after ten thousand generate and score calls.
package io.synod.bench.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.synod.bench.BenchCommand;
import io.synod.adapters.safetensors.DType;
import io.synod.solvers.model.ByteLevelTokenizer;
import io.synod.solvers.model.GenerationOptions;
import io.synod.solvers.model.LanguageModel;
import io.synod.solvers.model.ModelConfig;
import io.synod.solvers.model.RuntimeOptions;
import io.synod.solvers.model.TransformerWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench/run memory", sortOptions = false,
        description = "Process RSS before and after N generate and score calls on a small random model.")
public final class NativeMemoryBenchmark implements Callable<Integer> {

    @Option(names = "--calls", defaultValue = "10000", paramLabel = "N", converter = BenchCommand.Positive.class,
            description = "calls after the warm-up, half generate, half score (${DEFAULT-VALUE})")
    int calls;

    @Mixin
    BenchCommand.Help help;

    private NativeMemoryBenchmark() {}

    public static void main(String[] args) {
        BenchCommand.execute(new NativeMemoryBenchmark(), args);
    }

    @Override
    public Integer call() throws IOException {
        Path directory = Files.createTempDirectory("synod-memory-bench");
        ModelConfig config = new ModelConfig(ModelConfig.Architecture.LLAMA, 264, 256, 688, 4, 4, 2, 64, 1e-5, 10000,
                null, 512, false, false, "float32", ByteLevelTokenizer.BEGIN_OF_SEQUENCE, ByteLevelTokenizer.END_OF_SEQUENCE);
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            TransformerWeights.random(config, manager, 1, 0.02f).write(directory.resolve("model.safetensors"), DType.F32);
        }
        config.write(directory.resolve("config.json"));
        ByteLevelTokenizer.write(directory.resolve("tokenizer.json"));

        try (LanguageModel model = LanguageModel.load(directory, RuntimeOptions.defaults())) {
            GenerationOptions options = GenerationOptions.greedy(4).withStopAtEos(false);
            Runnable call = new Runnable() {
                int count;

                @Override
                public void run() {
                    if (count++ % 2 == 0) {
                        model.generate(List.of("Which currency does Togo use?", "Lomé"), options);
                    } else {
                        model.score("The capital of Togo is", List.of(" Lomé", " Accra", " Cotonou"));
                    }
                }
            };
            for (int i = 0; i < 500; i++) {    // warm-up: allocator pools and JIT settle
                call.run();
            }
            System.gc();
            long before = residentKilobytes();
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                call.run();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.gc();
            long after = residentKilobytes();
            System.out.printf(Locale.ROOT, "model: %s%n", config);
            System.out.printf(Locale.ROOT, "calls: %d (half generate 2x4 tokens, half score 3 continuations) in %.1f s%n",
                    calls, seconds);
            System.out.printf(Locale.ROOT, "rss_before_kib: %d%nrss_after_kib: %d%n", before, after);
            System.out.printf(Locale.ROOT, "rss_growth_mib: %.1f%n", (after - before) / 1024.0);
        } finally {
            for (String name : new String[] {"model.safetensors", "config.json", "tokenizer.json"}) {
                Files.deleteIfExists(directory.resolve(name));
            }
            Files.deleteIfExists(directory);
        }
        return 0;
    }

    /** VmRSS of this process, from /proc (Linux). */
    private static long residentKilobytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
