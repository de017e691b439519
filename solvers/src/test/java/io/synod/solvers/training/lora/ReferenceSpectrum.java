// Singular values computed the slow, plain way, to check the truncated SVD and PiSSA against.
package io.synod.solvers.training.lora;

import java.util.Arrays;

final class ReferenceSpectrum {
    private ReferenceSpectrum() {}

    /** All singular values of a row-major matrix, descending: square roots of the eigenvalues of its smaller Gram matrix. */
    static double[] singularValues(float[] matrix, int rows, int columns) {
        boolean wide = rows <= columns;
        int n = wide ? rows : columns;
        double[][] gram = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int k = 0; k < (wide ? columns : rows); k++) {
                    sum += wide
                            ? (double) matrix[i * columns + k] * matrix[j * columns + k]
                            : (double) matrix[k * columns + i] * matrix[k * columns + j];
                }
                gram[i][j] = sum;
            }
        }
        double[] eigenvalues = jacobiEigenvalues(gram);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = Math.sqrt(Math.max(0, eigenvalues[n - 1 - i]));
        }
        return values;
    }

    /** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations (Golub and Van Loan, section 8.5), ascending. */
    static double[] jacobiEigenvalues(double[][] symmetric) {
        int n = symmetric.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = symmetric[i].clone();
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta == 0 ? 1 : theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double kp = a[k][p];
                        double kq = a[k][q];
                        a[k][p] = c * kp - s * kq;
                        a[k][q] = s * kp + c * kq;
                    }
                    for (int k = 0; k < n; k++) {
                        double pk = a[p][k];
                        double qk = a[q][k];
                        a[p][k] = c * pk - s * qk;
                        a[q][k] = s * pk + c * qk;
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = a[i][i];
        }
        Arrays.sort(values);
        return values;
    }
}
