// The truncated SVD behind PiSSA: leading triplets of known and of flat spectra, rank-deficient input, bad ranks.
package io.synod.solvers.training.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TruncatedSvdTest {

    /** Columns of a random matrix made orthonormal, as vectors. */
    private static double[][] orthonormal(int count, int length, Random random) {
        double[][] vectors = new double[count][length];
        for (int j = 0; j < count; j++) {
            for (int i = 0; i < length; i++) {
                vectors[j][i] = random.nextGaussian();
            }
            for (int k = 0; k < j; k++) {
                double projection = dot(vectors[k], vectors[j]);
                for (int i = 0; i < length; i++) {
                    vectors[j][i] -= projection * vectors[k][i];
                }
            }
            double norm = Math.sqrt(dot(vectors[j], vectors[j]));
            for (int i = 0; i < length; i++) {
                vectors[j][i] /= norm;
            }
        }
        return vectors;
    }

    private static double dot(double[] x, double[] y) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += x[i] * y[i];
        }
        return sum;
    }

    /** sum_j values[j] u_j v_j^T as a row-major float matrix. */
    private static float[] compose(double[] values, double[][] left, double[][] right) {
        int rows = left[0].length;
        int columns = right[0].length;
        float[] matrix = new float[rows * columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                double sum = 0;
                for (int j = 0; j < values.length; j++) {
                    sum += values[j] * left[j][r] * right[j][c];
                }
                matrix[r * columns + c] = (float) sum;
            }
        }
        return matrix;
    }

    @Test
    void theLeadingTripletsOfAMatrixWithAKnownSpectrumAreFound() {
        Random random = new Random(1);
        int rows = 50;
        int columns = 30;
        double[] values = new double[columns];
        for (int j = 0; j < columns; j++) {
            values[j] = 10 * Math.pow(0.8, j);
        }
        double[][] left = orthonormal(columns, rows, random);
        double[][] right = orthonormal(columns, columns, random);
        TruncatedSvd.Result svd = TruncatedSvd.top(compose(values, left, right), rows, columns, 5, 7);

        for (int j = 0; j < 5; j++) {
            assertThat(svd.values()[j]).as("sigma %d", j).isCloseTo(values[j], within(1e-5));
            // singular vectors are unique up to sign for distinct values
            assertThat(Math.abs(dot(svd.left()[j], left[j]))).as("u %d", j).isCloseTo(1, within(1e-6));
            assertThat(Math.abs(dot(svd.right()[j], right[j]))).as("v %d", j).isCloseTo(1, within(1e-6));
        }
    }

    @Test
    void theTripletsOfAGaussianMatrixMatchTheReferenceSpectrumAndAreOrthonormal() {
        Random random = new Random(2);
        int rows = 48;
        int columns = 64;
        float[] matrix = new float[rows * columns];
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] = (float) random.nextGaussian();
        }
        int rank = 8;
        TruncatedSvd.Result svd = TruncatedSvd.top(matrix, rows, columns, rank, 3);
        double[] reference = ReferenceSpectrum.singularValues(matrix, rows, columns);

        for (int j = 0; j < rank; j++) {
            assertThat(svd.values()[j]).as("sigma %d", j).isCloseTo(reference[j], within(1e-6 * reference[0]));
            for (int k = 0; k <= j; k++) {
                double expected = j == k ? 1 : 0;
                assertThat(dot(svd.left()[j], svd.left()[k])).isCloseTo(expected, within(1e-9));
                assertThat(dot(svd.right()[j], svd.right()[k])).isCloseTo(expected, within(1e-9));
            }
            // M v = sigma u
            for (int r = 0; r < rows; r++) {
                double image = 0;
                for (int c = 0; c < columns; c++) {
                    image += matrix[r * columns + c] * svd.right()[j][c];
                }
                assertThat(image).isCloseTo(svd.values()[j] * svd.left()[j][r], within(1e-6 * reference[0]));
            }
        }
    }

    @Test
    void aMatrixOfLowerRankGivesZeroForTheMissingValuesAndNoNaN() {
        Random random = new Random(4);
        double[][] left = orthonormal(2, 20, random);
        double[][] right = orthonormal(2, 12, random);
        TruncatedSvd.Result svd = TruncatedSvd.top(compose(new double[] {3, 1}, left, right), 20, 12, 4, 5);

        assertThat(svd.values()[0]).isCloseTo(3, within(1e-6));
        assertThat(svd.values()[1]).isCloseTo(1, within(1e-6));
        assertThat(svd.values()[2]).isCloseTo(0, within(1e-6));
        assertThat(svd.values()[3]).isCloseTo(0, within(1e-6));
        for (int j = 0; j < 4; j++) {
            assertThat(svd.left()[j]).doesNotContain(Double.NaN);
            assertThat(svd.right()[j]).doesNotContain(Double.NaN);
        }
    }

    @Test
    void aRankBeyondTheSmallerSideIsRefused() {
        assertThatThrownBy(() -> TruncatedSvd.top(new float[12], 3, 4, 4, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 1 and min(rows, columns) = 3");
    }
}
