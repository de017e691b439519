// The leading singular triplets of a dense matrix, for PiSSA's initialisation: DJL 0.36 has no SVD.
package io.synod.solvers.training.lora;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The top {@code rank} singular values and vectors of a matrix {@code M [rows x columns]}, in double precision,
 * by randomised subspace iteration (Halko, Martinsson and Tropp 2011, "Finding structure with randomness",
 * Algorithm 4.4) with a Rayleigh-Ritz step each round:
 * <ol>
 *   <li>start from {@code Q = orth(M Omega)}, {@code Omega} a seeded Gaussian {@code [columns x k]} with
 *       {@code k = rank + oversampling};</li>
 *   <li>each round: {@code B = Q^T M [k x columns]}; the SVD {@code B = J Sigma V^T} by one-sided Jacobi
 *       rotations (Hestenes 1958) on the k rows of B; the Ritz triplets {@code (sigma_j, Q J_j, V_j)};</li>
 *   <li>stop when every one of the first {@code rank} triplets has a residual {@code ||M v_j - sigma_j u_j||}
 *       below {@code 1e-7 sigma_1} (float32 weights hold no more) (or after {@value #MAX_ROUNDS} rounds), else {@code Q = orth(M V)} and repeat.</li>
 * </ol>
 * Each round shrinks the error of triplet j by about {@code (sigma_{k+1} / sigma_j)^2}, so the oversampling matters
 * for matrices with a flat spectrum (random ones). Costs {@code O(rows columns k)} per round; meant for the
 * projections of small models (widths in the hundreds or low thousands). Deterministic for a seed. Stateless.
 */
final class TruncatedSvd {
    static final int MAX_ROUNDS = 500;
    private static final double TOLERANCE = 1e-7;

    /**
     * The triplets, largest first: {@code M ~ sum_j values[j] left[j] right[j]^T}.
     *
     * @param values singular values, descending, {@code rank} of them
     * @param left   left singular vectors, each of length {@code rows}
     * @param right  right singular vectors, each of length {@code columns}
     * @param rounds rounds of subspace iteration taken
     */
    record Result(double[] values, double[][] left, double[][] right, int rounds) {}

    private TruncatedSvd() {}

    /**
     * The top {@code rank} triplets of the row-major {@code matrix}.
     *
     * @throws IllegalArgumentException if {@code rank} is not between 1 and {@code min(rows, columns)}
     */
    static Result top(float[] matrix, int rows, int columns, int rank, long seed) {
        if (matrix.length != (long) rows * columns) {
            throw new IllegalArgumentException("a " + rows + " x " + columns + " matrix needs " + (long) rows * columns
                    + " values; got " + matrix.length);
        }
        if (rank < 1 || rank > Math.min(rows, columns)) {
            throw new IllegalArgumentException("rank must be between 1 and min(rows, columns) = " + Math.min(rows, columns)
                    + ", got " + rank);
        }
        double[] m = new double[matrix.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = matrix[i];
        }
        int width = Math.min(Math.min(rows, columns), rank + Math.max(10, rank));
        Random random = new Random(seed);
        double[][] start = new double[width][columns];
        for (double[] vector : start) {
            for (int c = 0; c < columns; c++) {
                vector[c] = random.nextGaussian();
            }
        }
        double[][] basis = times(m, rows, columns, start);
        orthonormalise(basis, random);
        Ritz ritz = null;
        int round = 0;
        while (round < MAX_ROUNDS) {
            round++;
            ritz = rayleighRitz(m, rows, columns, basis);
            // M v_j for every Ritz vector: the residuals of the leading ones, and the next basis
            double[][] image = times(m, rows, columns, ritz.right);
            if (converged(ritz, image, rank)) {
                break;
            }
            basis = image;
            orthonormalise(basis, random);
        }
        return new Result(Arrays.copyOf(ritz.values, rank), Arrays.copyOf(ritz.left, rank),
                Arrays.copyOf(ritz.right, rank), round);
    }

    /** Ritz triplets of the subspace spanned by {@code basis}, largest first. */
    private record Ritz(double[] values, double[][] left, double[][] right) {}

    private static Ritz rayleighRitz(double[] m, int rows, int columns, double[][] basis) {
        int width = basis.length;
        // rows of B = Q^T M, as vectors: b_j = M^T q_j, [columns]
        double[][] b = transposeTimes(m, rows, columns, basis);
        // rotations J [width x width], column j as rotations[j]; B^T J ends with orthogonal columns
        double[][] rotations = new double[width][width];
        for (int j = 0; j < width; j++) {
            rotations[j][j] = 1;
        }
        for (int sweep = 0; sweep < 60; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < width - 1; p++) {
                for (int q = p + 1; q < width; q++) {
                    double alpha = dot(b[p], b[p]);
                    double beta = dot(b[q], b[q]);
                    double gamma = dot(b[p], b[q]);
                    if (gamma == 0 || Math.abs(gamma) <= 1e-13 * Math.sqrt(alpha * beta)) {
                        continue;
                    }
                    rotated = true;
                    // the rotation that makes columns p and q orthogonal (Golub and Van Loan, section 8.6.3)
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta == 0 ? 1 : zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    double cos = 1 / Math.sqrt(1 + t * t);
                    double sin = cos * t;
                    rotate(b[p], b[q], cos, sin);
                    rotate(rotations[p], rotations[q], cos, sin);
                }
            }
            if (!rotated) {
                break;
            }
        }
        // B^T J = V Sigma, so B = J Sigma V^T: sigma_j = |column j|, v_j = column j / sigma_j, u_j = Q J_j
        Integer[] order = new Integer[width];
        double[] norms = new double[width];
        for (int j = 0; j < width; j++) {
            order[j] = j;
            norms[j] = Math.sqrt(dot(b[j], b[j]));
        }
        Arrays.sort(order, (x, y) -> Double.compare(norms[y], norms[x]));
        double[] values = new double[width];
        double[][] left = new double[width][rows];
        double[][] right = new double[width][];
        for (int i = 0; i < width; i++) {
            int j = order[i];
            values[i] = norms[j];
            right[i] = b[j];
            if (norms[j] > 0) {
                for (int c = 0; c < columns; c++) {
                    right[i][c] /= norms[j];
                }
            }
            for (int l = 0; l < width; l++) {
                double weight = rotations[j][l];
                double[] vector = basis[l];
                for (int r = 0; r < rows; r++) {
                    left[i][r] += weight * vector[r];
                }
            }
        }
        return new Ritz(values, left, right);
    }

    /** Whether {@code ||M v_j - sigma_j u_j|| <= tolerance * sigma_1} for the first {@code rank} triplets. */
    private static boolean converged(Ritz ritz, double[][] image, int rank) {
        double bound = TOLERANCE * ritz.values[0];
        for (int j = 0; j < rank; j++) {
            double sum = 0;
            for (int r = 0; r < image[j].length; r++) {
                double difference = image[j][r] - ritz.values[j] * ritz.left[j][r];
                sum += difference * difference;
            }
            if (Math.sqrt(sum) > bound) {
                return false;
            }
        }
        return true;
    }

    private static void rotate(double[] x, double[] y, double cos, double sin) {
        for (int i = 0; i < x.length; i++) {
            double a = x[i];
            double b = y[i];
            x[i] = cos * a - sin * b;
            y[i] = sin * a + cos * b;
        }
    }

    /**
     * {@code M z_j} for each vector: [rows] each. Rows in parallel; four vectors per pass over a row, so that four
     * independent sums are in flight (a single dot product is bound by the latency of its additions).
     */
    private static double[][] times(double[] m, int rows, int columns, double[][] vectors) {
        double[][] result = new double[vectors.length][rows];
        IntStream.range(0, rows).parallel().forEach(r -> {
            int offset = r * columns;
            int j = 0;
            for (; j + 4 <= vectors.length; j += 4) {
                double[] v0 = vectors[j];
                double[] v1 = vectors[j + 1];
                double[] v2 = vectors[j + 2];
                double[] v3 = vectors[j + 3];
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                for (int c = 0; c < columns; c++) {
                    double value = m[offset + c];
                    s0 += value * v0[c];
                    s1 += value * v1[c];
                    s2 += value * v2[c];
                    s3 += value * v3[c];
                }
                result[j][r] = s0;
                result[j + 1][r] = s1;
                result[j + 2][r] = s2;
                result[j + 3][r] = s3;
            }
            for (; j < vectors.length; j++) {
                double[] vector = vectors[j];
                double sum = 0;
                for (int c = 0; c < columns; c++) {
                    sum += m[offset + c] * vector[c];
                }
                result[j][r] = sum;
            }
        });
        return result;
    }

    /** {@code M^T q_j} for each vector: [columns] each; the vectors in parallel, each a sum of scaled rows. */
    private static double[][] transposeTimes(double[] m, int rows, int columns, double[][] vectors) {
        double[][] result = new double[vectors.length][columns];
        IntStream.range(0, vectors.length).parallel().forEach(j -> {
            double[] target = result[j];
            double[] weights = vectors[j];
            for (int r = 0; r < rows; r++) {
                double weight = weights[r];
                if (weight == 0) {
                    continue;
                }
                int offset = r * columns;
                for (int c = 0; c < columns; c++) {
                    target[c] += weight * m[offset + c];
                }
            }
        });
        return result;
    }

    /**
     * Modified Gram-Schmidt, twice ("twice is enough", Giraud et al. 2005), in place; a vector that vanishes
     * against the ones before it (M of lower rank than the basis) is replaced by a random one, so the basis stays
     * orthonormal.
     */
    private static void orthonormalise(double[][] vectors, Random random) {
        for (int j = 0; j < vectors.length; j++) {
            double[] vector = vectors[j];
            double before = Math.sqrt(dot(vector, vector));
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < j; i++) {
                    double projection = dot(vectors[i], vector);
                    for (int k = 0; k < vector.length; k++) {
                        vector[k] -= projection * vectors[i][k];
                    }
                }
            }
            double norm = Math.sqrt(dot(vector, vector));
            if (norm <= 1e-12 * Math.max(before, Double.MIN_NORMAL) || norm == 0) {
                for (int k = 0; k < vector.length; k++) {
                    vector[k] = random.nextGaussian();
                }
                j--;   // orthogonalise the replacement
                continue;
            }
            for (int k = 0; k < vector.length; k++) {
                vector[k] /= norm;
            }
        }
    }

    private static double dot(double[] x, double[] y) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += x[i] * y[i];
        }
        return sum;
    }
}
