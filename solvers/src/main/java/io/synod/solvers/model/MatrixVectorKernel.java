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
        int vectorColumns = SPECIES.loopBound(columns);
        int row = firstRow;
        // tiles of two weight rows by four rows of x: eight independent multiply-add chains, six loads for eight
        for (; row + 2 <= lastRow; row += 2) {
            int b = 0;
            for (; b + 4 <= batch; b += 4) {
                tile(weights, columns, vectorColumns, row, x, b, y, yStride);
            }
            for (; b < batch; b++) {
                multiply(weights, 0, columns, x, b * columns, y, b * yStride, row, row + 2);
            }
        }
        for (; row < lastRow; row++) {
            for (int b = 0; b < batch; b++) {
                multiply(weights, 0, columns, x, b * columns, y, b * yStride, row, row + 1);
            }
        }
    }

    /** Weight rows {@code row, row + 1} times rows {@code b .. b + 3} of x. */
    private static void tile(float[] weights, int columns, int vectorColumns, int row, float[] x, int b, float[] y,
                             int yStride) {
        int base0 = row * columns;
        int base1 = base0 + columns;
        int x0 = b * columns;
        int x1 = x0 + columns;
        int x2 = x1 + columns;
        int x3 = x2 + columns;
        FloatVector sum00 = FloatVector.zero(SPECIES);
        FloatVector sum01 = FloatVector.zero(SPECIES);
        FloatVector sum02 = FloatVector.zero(SPECIES);
        FloatVector sum03 = FloatVector.zero(SPECIES);
        FloatVector sum10 = FloatVector.zero(SPECIES);
        FloatVector sum11 = FloatVector.zero(SPECIES);
        FloatVector sum12 = FloatVector.zero(SPECIES);
        FloatVector sum13 = FloatVector.zero(SPECIES);
        int column = 0;
        for (; column < vectorColumns; column += SPECIES.length()) {
            FloatVector weight0 = FloatVector.fromArray(SPECIES, weights, base0 + column);
            FloatVector weight1 = FloatVector.fromArray(SPECIES, weights, base1 + column);
            FloatVector input = FloatVector.fromArray(SPECIES, x, x0 + column);
            sum00 = weight0.fma(input, sum00);
            sum10 = weight1.fma(input, sum10);
            input = FloatVector.fromArray(SPECIES, x, x1 + column);
            sum01 = weight0.fma(input, sum01);
            sum11 = weight1.fma(input, sum11);
            input = FloatVector.fromArray(SPECIES, x, x2 + column);
            sum02 = weight0.fma(input, sum02);
            sum12 = weight1.fma(input, sum12);
            input = FloatVector.fromArray(SPECIES, x, x3 + column);
            sum03 = weight0.fma(input, sum03);
            sum13 = weight1.fma(input, sum13);
        }
        float[] tails = new float[8];
        for (; column < columns; column++) {
            float weight0 = weights[base0 + column];
            float weight1 = weights[base1 + column];
            for (int i = 0; i < 4; i++) {
                float input = x[x0 + i * columns + column];
                tails[i] += weight0 * input;
                tails[4 + i] += weight1 * input;
            }
        }
        y[b * yStride + row] = sum00.reduceLanes(VectorOperators.ADD) + tails[0];
        y[(b + 1) * yStride + row] = sum01.reduceLanes(VectorOperators.ADD) + tails[1];
        y[(b + 2) * yStride + row] = sum02.reduceLanes(VectorOperators.ADD) + tails[2];
        y[(b + 3) * yStride + row] = sum03.reduceLanes(VectorOperators.ADD) + tails[3];
        y[b * yStride + row + 1] = sum10.reduceLanes(VectorOperators.ADD) + tails[4];
        y[(b + 1) * yStride + row + 1] = sum11.reduceLanes(VectorOperators.ADD) + tails[5];
        y[(b + 2) * yStride + row + 1] = sum12.reduceLanes(VectorOperators.ADD) + tails[6];
        y[(b + 3) * yStride + row + 1] = sum13.reduceLanes(VectorOperators.ADD) + tails[7];
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
