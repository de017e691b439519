// Measures the memory bandwidth a matrix-vector product reaches on this machine: the physical bound of
// decoding, in which every new token streams all the weights once.
package io.synod.bench.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.synod.bench.Latencies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Times y = W x for a float matrix W much larger than the caches, in two ways: PyTorch's {@code mv} through
 * DJL with {@code threads} intra-op threads, and plain Java with the Vector API over {@code threads} threads
 * (in a JDK 21+ child JVM, since Java 17 has no Vector API without incubator flags). The figure is bytes of W
 * over the time of one product, best (and median) of {@code repeats} after two warm-up products; x and y are
 * too small to count.
 */
public final class MemoryBandwidth {
    /** One way of reading the matrix, with its best and median bandwidth in GB/s (10^9 bytes per second). */
    public record Figure(String method, double bestGigabytesPerSecond, double medianGigabytesPerSecond) {}

    private static final int WARMUPS = 2;

    private MemoryBandwidth() {}

    /** PyTorch through DJL on the CPU: {@code torch.mv} of a {@code rows x columns} f32 matrix. */
    public static Figure pytorch(int rows, int columns, int threads, int repeats) {
        Engine engine = Engine.getEngine("PyTorch");   // loads the native library before the thread count is set
        JniUtils.setNumThreads(threads);
        try (NDManager manager = engine.newBaseManager(Device.cpu())) {
            NDArray matrix = manager.randomNormal(new Shape(rows, columns));
            NDArray vector = manager.randomNormal(new Shape(columns));
            double[] seconds = new double[repeats];
            for (int repeat = -WARMUPS; repeat < repeats; repeat++) {
                try (NDManager scratch = manager.newSubManager()) {
                    long start = System.nanoTime();
                    NDArray product = matrix.matMul(vector);
                    product.attach(scratch);
                    float last = product.get(rows - 1).getFloat();   // eager CPU ops are done when they return
                    long elapsed = System.nanoTime() - start;
                    if (!Float.isFinite(last)) {
                        throw new IllegalStateException("the product is not finite");
                    }
                    if (repeat >= 0) {
                        seconds[repeat] = elapsed / 1e9;
                    }
                }
            }
            double best = Double.MAX_VALUE;
            for (double value : seconds) {
                best = Math.min(best, value);
            }
            double bytes = 4.0 * rows * columns;
            return new Figure("PyTorch mv via DJL, " + threads + " threads", bytes / best / 1e9,
                    bytes / Latencies.median(seconds) / 1e9);
        }
    }

    /**
     * Plain Java with the Vector API: runs {@code MatrixVectorBandwidth} from the Jlama peer's jar in a child
     * JVM ({@code java} of a JDK 21+) and reads the line it prints.
     */
    public static Figure javaVectorApi(Path java, Path peerJar, int rows, int columns, int threads, int repeats)
            throws IOException, InterruptedException {
        List<String> command = List.of(java.toString(), "--add-modules", "jdk.incubator.vector",
                "-cp", peerJar.toString(), "io.synod.bench.jlama.MatrixVectorBandwidth",
                "--rows", Integer.toString(rows), "--columns", Integer.toString(columns),
                "--threads", Integer.toString(threads), "--repeats", Integer.toString(repeats));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int exit = process.waitFor();
        String line = output.lines().filter(candidate -> candidate.startsWith("bandwidth ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("MatrixVectorBandwidth exited with " + exit
                        + " and printed no figure: " + output));
        Map<String, String> fields = new HashMap<>();
        for (String part : line.split(" ")) {
            int equals = part.indexOf('=');
            if (equals > 0) {
                fields.put(part.substring(0, equals), part.substring(equals + 1));
            }
        }
        return new Figure("plain Java, Vector API " + fields.get("method").replaceAll("\\D+", "") + "-bit, java "
                + fields.get("java") + ", " + threads + " threads",
                Double.parseDouble(fields.get("best_gbps")), Double.parseDouble(fields.get("median_gbps")));
    }
}
