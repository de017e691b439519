// Measures the memory bandwidth a plain-Java matrix-vector product reaches with the Vector API (which needs
// the JDK 21+ this project runs on): the physical bound of decoding, where each token streams all weights.
package io.synod.bench.jlama;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Usage: {@code MatrixVectorBandwidth [--rows 8192] [--columns 8192] [--threads N] [--repeats 10]}. Times
 * y = W x for a row-major f32 matrix W split into contiguous row blocks, one per thread, each row a dot
 * product with four vector accumulators; prints one line with the best and median bandwidth in GB/s
 * (10^9 bytes of W per second; x and y are too small to count) after two warm-up products.
 */
public final class MatrixVectorBandwidth {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int WARMUPS = 2;

    private MatrixVectorBandwidth() {}

    public static void main(String[] args) throws Exception {
        int rows = 8192;
        int columns = 8192;
        int threads = Runtime.getRuntime().availableProcessors();
        int repeats = 10;
        for (int i = 0; i + 1 < args.length; i += 2) {
            int value = Integer.parseInt(args[i + 1]);
            switch (args[i]) {
                case "--rows" -> rows = value;
                case "--columns" -> columns = value;
                case "--threads" -> threads = value;
                case "--repeats" -> repeats = value;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (columns % (4 * SPECIES.length()) != 0) {
            throw new IllegalArgumentException("--columns must be a multiple of " + 4 * SPECIES.length());
        }
        float[] matrix = new float[Math.multiplyExact(rows, columns)];
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] = (i % 1021) * 1e-3f;   // touches every page, so no first-touch fault is timed
        }
        float[] vector = new float[columns];
        for (int i = 0; i < columns; i++) {
            vector[i] = (i % 7) * 0.5f;
        }
        float[] result = new float[rows];
        double[] seconds = new double[repeats];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int repeat = -WARMUPS; repeat < repeats; repeat++) {
                long start = System.nanoTime();
                List<Future<?>> parts = new ArrayList<>();
                for (int thread = 0; thread < threads; thread++) {
                    int first = (int) ((long) rows * thread / threads);
                    int last = (int) ((long) rows * (thread + 1) / threads);
                    int width = columns;
                    parts.add(pool.submit(() -> multiplyRows(matrix, vector, result, width, first, last)));
                }
                for (Future<?> part : parts) {
                    part.get();
                }
                if (repeat >= 0) {
                    seconds[repeat] = (System.nanoTime() - start) / 1e9;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (!Float.isFinite(result[rows - 1])) {
            throw new IllegalStateException("the product is not finite");
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        double bytes = 4.0 * matrix.length;
        System.out.printf(Locale.ROOT, "bandwidth method=java_vector_api_%d_bit threads=%d rows=%d columns=%d "
                        + "best_gbps=%.2f median_gbps=%.2f java=%s%n", SPECIES.vectorBitSize(), threads, rows, columns,
                bytes / sorted[0] / 1e9, bytes / median / 1e9, System.getProperty("java.version"));
    }

    private static void multiplyRows(float[] matrix, float[] vector, float[] result, int columns, int first, int last) {
        int step = SPECIES.length();
        for (int row = first; row < last; row++) {
            int base = row * columns;
            FloatVector s0 = FloatVector.zero(SPECIES);
            FloatVector s1 = FloatVector.zero(SPECIES);
            FloatVector s2 = FloatVector.zero(SPECIES);
            FloatVector s3 = FloatVector.zero(SPECIES);
            for (int column = 0; column < columns; column += 4 * step) {
                s0 = FloatVector.fromArray(SPECIES, matrix, base + column)
                        .fma(FloatVector.fromArray(SPECIES, vector, column), s0);
                s1 = FloatVector.fromArray(SPECIES, matrix, base + column + step)
                        .fma(FloatVector.fromArray(SPECIES, vector, column + step), s1);
                s2 = FloatVector.fromArray(SPECIES, matrix, base + column + 2 * step)
                        .fma(FloatVector.fromArray(SPECIES, vector, column + 2 * step), s2);
                s3 = FloatVector.fromArray(SPECIES, matrix, base + column + 3 * step)
                        .fma(FloatVector.fromArray(SPECIES, vector, column + 3 * step), s3);
            }
            result[row] = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        }
    }
}
