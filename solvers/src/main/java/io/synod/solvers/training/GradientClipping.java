// Gradient clipping by global norm (Pascanu et al. 2013), as torch.nn.utils.clip_grad_norm_ does it.
package io.synod.solvers.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/** Scales a set of gradients together so that their joint L2 norm is at most a bound. */
public final class GradientClipping {
    private GradientClipping() {}

    /**
     * Computes {@code ||g|| = sqrt(sum over arrays of sum(g^2))} and, when it exceeds {@code maxNorm}, multiplies
     * every gradient in place by {@code maxNorm / (||g|| + 1e-6)}. Temporaries land on each gradient's manager.
     *
     * @param maxNorm the bound; 0 only measures
     * @return the norm before clipping (NaN or infinite when a gradient is)
     */
    public static double clipByGlobalNorm(List<NDArray> gradients, double maxNorm) {
        if (gradients.isEmpty()) {
            return 0;
        }
        // one sum on the device, read once, so that a GPU synchronises once per step and not once per array
        NDArray sumOfSquares = null;
        for (NDArray gradient : gradients) {
            NDArray squares = gradient.toType(DataType.FLOAT32, false).square().sum();
            sumOfSquares = sumOfSquares == null ? squares : sumOfSquares.add(squares);
        }
        double norm = Math.sqrt(sumOfSquares.getFloat());
        if (maxNorm > 0 && norm > maxNorm && Double.isFinite(norm)) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            for (NDArray gradient : gradients) {
                gradient.muli(scale);
            }
        }
        return norm;
    }
}
