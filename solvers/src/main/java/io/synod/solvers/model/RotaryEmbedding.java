// Rotary position embedding tables (RoPE, Su et al. 2021), with Llama 3's frequency scaling.
package io.synod.solvers.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Cosine and sine tables for positions {@code [0, contextLength)}, laid out as HuggingFace's Llama does:
 * {@code emb = cat(freqs, freqs)}, so that {@code rope(x) = x * cos + rotate_half(x) * sin} with
 * {@code rotate_half(x) = cat(-x2, x1)}. The sine table carries the sign of rotate_half
 * ({@code [-sin, +sin]}), so that {@code rotate_half(x) * sin == swap_halves(x) * signedSin}, and swapping
 * halves is a flip of a [2, D/2] view: no matrix product, no negation.
 */
final class RotaryEmbedding {
    final NDArray cos;        // [contextLength, headDim]
    final NDArray signedSin;  // [contextLength, headDim]: -sin on the first half, +sin on the second

    RotaryEmbedding(ModelConfig config, int contextLength, NDManager manager) {
        int dimension = config.headDimension();
        double[] inverseFrequencies = inverseFrequencies(config);
        float[] cosines = new float[contextLength * dimension];
        float[] sines = new float[contextLength * dimension];
        for (int position = 0; position < contextLength; position++) {
            for (int i = 0; i < dimension / 2; i++) {
                double angle = position * inverseFrequencies[i];
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                int row = position * dimension;
                cosines[row + i] = c;
                cosines[row + i + dimension / 2] = c;
                sines[row + i] = -s;
                sines[row + i + dimension / 2] = s;
            }
        }
        cos = manager.create(cosines, new Shape(contextLength, dimension));
        signedSin = manager.create(sines, new Shape(contextLength, dimension));
    }

    /** theta^(-2i/d), scaled per Llama 3 when the config asks for it. */
    static double[] inverseFrequencies(ModelConfig config) {
        int dimension = config.headDimension();
        double[] frequencies = new double[dimension / 2];
        for (int i = 0; i < dimension / 2; i++) {
            frequencies[i] = 1.0 / Math.pow(config.ropeTheta(), (2.0 * i) / dimension);
        }
        ModelConfig.RopeScaling scaling = config.ropeScaling();
        if (scaling == null) {
            return frequencies;
        }
        // Llama 3: keep high frequencies, divide low ones by the factor, interpolate smoothly between.
        double original = scaling.originalMaxPositionEmbeddings();
        double lowFrequencyWavelength = original / scaling.lowFrequencyFactor();
        double highFrequencyWavelength = original / scaling.highFrequencyFactor();
        for (int i = 0; i < frequencies.length; i++) {
            double wavelength = 2 * Math.PI / frequencies[i];
            if (wavelength > lowFrequencyWavelength) {
                frequencies[i] = frequencies[i] / scaling.factor();
            } else if (wavelength >= highFrequencyWavelength) {
                double smooth = (original / wavelength - scaling.lowFrequencyFactor())
                        / (scaling.highFrequencyFactor() - scaling.lowFrequencyFactor());
                frequencies[i] = (1 - smooth) * frequencies[i] / scaling.factor() + smooth * frequencies[i];
            }
        }
        return frequencies;
    }
}
