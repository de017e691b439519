// y = W x for a row-major float matrix, with the Vector API: the kernel of one-token decoding on the CPU.
package io.synod.solvers.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The only class that touches {@code jdk.incubator.vector}: it is loaded only after {@link VectorDecoder#available()}
 * has found the module, so a JVM started without {@code --add-modules jdk.incubator.vector} never sees it.
 *
 * <p>Decoding one token multiplies every weight matrix by one vector, so it is bound by memory bandwidth. The
 * loop walks one row at a time, so that the whole matrix is read as one sequential stream, which the hardware
 * prefetcher follows best (26 GB/s on one core here, against 15 GB/s when four rows are read side by side),
 * with four independent accumulators so that the fused multiply-adds do not wait on each other.
 */
final class MatrixVectorKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private MatrixVectorKernel() {}

    /** {@code y[r] = sum_c weights[r * columns + c] * x[c]} for rows {@code [firstRow, lastRow)}. */
    static void multiply(float[] weights, int columns, float[] x, float[] y, int firstRow, int lastRow) {
        multiply(weights, 0, columns, x, 0, y, 0, firstRow, lastRow);
    }

    /**
     * {@code y[yOffset + r] = sum_c weights[weightOffset + r * columns + c] * x[xOffset + c]} for rows
     * {@code [firstRow, lastRow)}.
     *
     * @param weights [rows, columns] row-major from {@code weightOffset}
     * @param x       [columns] from {@code xOffset}
     */
    static void multiply(float[] weights, int weightOffset, int columns, float[] x, int xOffset, float[] y, int yOffset,
                         int firstRow, int lastRow) {
        int step = SPECIES.length();
        int unrolledColumns = columns - columns % (4 * step);
        int vectorColumns = SPECIES.loopBound(columns);
        for (int row = firstRow; row < lastRow; row++) {
            int base = weightOffset + row * columns;
            FloatVector sum0 = FloatVector.zero(SPECIES);
            FloatVector sum1 = FloatVector.zero(SPECIES);
            FloatVector sum2 = FloatVector.zero(SPECIES);
            FloatVector sum3 = FloatVector.zero(SPECIES);
            int column = 0;
            for (; column < unrolledColumns; column += 4 * step) {
                sum0 = FloatVector.fromArray(SPECIES, weights, base + column)
                        .fma(FloatVector.fromArray(SPECIES, x, xOffset + column), sum0);
                sum1 = FloatVector.fromArray(SPECIES, weights, base + column + step)
                        .fma(FloatVector.fromArray(SPECIES, x, xOffset + column + step), sum1);
                sum2 = FloatVector.fromArray(SPECIES, weights, base + column + 2 * step)
                        .fma(FloatVector.fromArray(SPECIES, x, xOffset + column + 2 * step), sum2);
                sum3 = FloatVector.fromArray(SPECIES, weights, base + column + 3 * step)
                        .fma(FloatVector.fromArray(SPECIES, x, xOffset + column + 3 * step), sum3);
            }
            for (; column < vectorColumns; column += step) {
                sum0 = FloatVector.fromArray(SPECIES, weights, base + column)
                        .fma(FloatVector.fromArray(SPECIES, x, xOffset + column), sum0);
            }
            float tail = 0;
            for (; column < columns; column++) {
                tail += weights[base + column] * x[xOffset + column];
            }
            y[yOffset + row] = sum0.add(sum1).add(sum2.add(sum3)).reduceLanes(VectorOperators.ADD) + tail;
        }
    }

    /**
     * {@code y[b * yStride + r] = sum_c weights[r * columns + c] * x[b * columns + c]} for rows {@code [firstRow,
     * lastRow)} and each of {@code batch} rows of x. Each weight row is read from memory once, and each load of it
     * serves four rows of x.
     */
    static void multiplyRows(float[] weights, int columns, float[] x, int batch, float[] y, int yStride,
                             int firstRow, int lastRow) {
        if (batch == 1) {
            multiply(weights, 0, columns, x, 0, y, 0, firstRow, lastRow);
            return;
        }
        int step = SPECIES.length();
        int vectorColumns = SPECIES.loopBound(columns);
        for (int row = firstRow; row < lastRow; row++) {
            int base = row * columns;
            int b = 0;
            // four rows of x per pass over the weight row: one load of weights feeds four multiply-adds
            for (; b + 4 <= batch; b += 4) {
                int x0 = b * columns;
                int x1 = x0 + columns;
                int x2 = x1 + columns;
                int x3 = x2 + columns;
                FloatVector sum0 = FloatVector.zero(SPECIES);
                FloatVector sum1 = FloatVector.zero(SPECIES);
                FloatVector sum2 = FloatVector.zero(SPECIES);
                FloatVector sum3 = FloatVector.zero(SPECIES);
                int column = 0;
                for (; column < vectorColumns; column += step) {
                    FloatVector weight = FloatVector.fromArray(SPECIES, weights, base + column);
                    sum0 = weight.fma(FloatVector.fromArray(SPECIES, x, x0 + column), sum0);
                    sum1 = weight.fma(FloatVector.fromArray(SPECIES, x, x1 + column), sum1);
                    sum2 = weight.fma(FloatVector.fromArray(SPECIES, x, x2 + column), sum2);
                    sum3 = weight.fma(FloatVector.fromArray(SPECIES, x, x3 + column), sum3);
                }
                float tail0 = 0;
                float tail1 = 0;
                float tail2 = 0;
                float tail3 = 0;
                for (; column < columns; column++) {
                    float weight = weights[base + column];
                    tail0 += weight * x[x0 + column];
                    tail1 += weight * x[x1 + column];
                    tail2 += weight * x[x2 + column];
                    tail3 += weight * x[x3 + column];
                }
                y[b * yStride + row] = sum0.reduceLanes(VectorOperators.ADD) + tail0;
                y[(b + 1) * yStride + row] = sum1.reduceLanes(VectorOperators.ADD) + tail1;
                y[(b + 2) * yStride + row] = sum2.reduceLanes(VectorOperators.ADD) + tail2;
                y[(b + 3) * yStride + row] = sum3.reduceLanes(VectorOperators.ADD) + tail3;
            }
            for (; b < batch; b++) {
                multiply(weights, 0, columns, x, b * columns, y, b * yStride, row, row + 1);
            }
        }
    }

    /** {@code y[yOffset + i] += scale * v[vOffset + i]} for {@code i < length}. */
    static void addScaled(float[] y, int yOffset, float scale, float[] v, int vOffset, int length) {
        int vectorLength = SPECIES.loopBound(length);
        FloatVector factor = FloatVector.broadcast(SPECIES, scale);
        int i = 0;
        for (; i < vectorLength; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, v, vOffset + i).fma(factor, FloatVector.fromArray(SPECIES, y, yOffset + i))
                    .intoArray(y, yOffset + i);
        }
        for (; i < length; i++) {
            y[yOffset + i] += scale * v[vOffset + i];
        }
    }
}
