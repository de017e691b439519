// How alike two LoRA adapters are: the cosine similarity of their weight updates, the diversity measure of
// K-shot selection.
package io.synod.adapters.experts;

import io.synod.adapters.lora.LoraAdapter;
import io.synod.adapters.lora.LoraModule;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cosine similarity of two adapters' updates {@code ΔW = s B A}, flattened over every module they adapt
 * and concatenated (a module one adapter leaves alone counts as zero for it):
 * {@code cos = Σ_m <ΔW_m, ΔW'_m>_F / sqrt(Σ_m ||ΔW_m||² · Σ_m ||ΔW'_m||²)}.
 *
 * <p>Why ΔW and not the concatenated A and B matrices: the factors of one update are not unique
 * ({@code B A = (B R)(R⁻¹ A)} for any invertible R), so two adapters with the same effect can have
 * dissimilar factors, and the cosine of factors also depends on how each was initialised. The update is
 * what the adapter does to the base model. It is computed without forming ΔW:
 * {@code <B A, B' A'>_F = trace((Bᵀ B')(A' Aᵀ))}, two products of size r × r'.
 */
public final class AdapterSimilarity {

    private AdapterSimilarity() {
    }

    /**
     * @return the cosine in [-1, 1]; 0 when either adapter's update is zero
     * @throws IllegalArgumentException when a module both adapt has different shapes in the two (different bases)
     */
    public static double cosine(LoraAdapter first, LoraAdapter second) {
        Map<String, LoraModule> others = new HashMap<>();
        for (LoraModule module : second.modules()) {
            others.put(module.module(), module);
        }
        double inner = 0;
        double firstNorm = 0;
        for (LoraModule module : first.modules()) {
            firstNorm += inner(module, module);
            LoraModule other = others.get(module.module());
            if (other != null) {
                if (other.in() != module.in() || other.out() != module.out()) {
                    throw new IllegalArgumentException("adapters '" + first.name() + "' and '" + second.name()
                            + "' adapt " + module.module() + " with different shapes ([" + module.out() + " x "
                            + module.in() + "] and [" + other.out() + " x " + other.in() + "]): not the same base model");
                }
                inner += inner(module, other);
            }
        }
        double secondNorm = 0;
        for (LoraModule module : second.modules()) {
            secondNorm += inner(module, module);
        }
        if (firstNorm <= 0 || secondNorm <= 0) {
            return 0;
        }
        return Math.max(-1, Math.min(1, inner / Math.sqrt(firstNorm * secondNorm)));
    }

    /** The symmetric matrix of pairwise cosines, 1 on the diagonal (for a non-zero update). */
    public static double[][] matrix(List<LoraAdapter> adapters) {
        int count = adapters.size();
        double[][] similarity = new double[count][count];
        for (int i = 0; i < count; i++) {
            similarity[i][i] = 1;
            for (int j = i + 1; j < count; j++) {
                similarity[i][j] = cosine(adapters.get(i), adapters.get(j));
                similarity[j][i] = similarity[i][j];
            }
        }
        return similarity;
    }

    /**
     * {@code <s B A, s' B' A'>_F = s s' trace(P Q)} with {@code P = Bᵀ B' [r x r']} and {@code Q = A' Aᵀ [r' x r]}.
     * A is {@code [r x in]} and B {@code [out x r]}, row-major.
     */
    static double inner(LoraModule x, LoraModule y) {
        int rx = x.rank();
        int ry = y.rank();
        int out = x.out();
        int in = x.in();
        float[] bx = x.b();
        float[] by = y.b();
        float[] ax = x.a();
        float[] ay = y.a();
        double[] p = new double[rx * ry];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < rx; i++) {
                double left = bx[o * rx + i];
                if (left == 0) {
                    continue;
                }
                for (int j = 0; j < ry; j++) {
                    p[i * ry + j] += left * by[o * ry + j];
                }
            }
        }
        double[] q = new double[ry * rx];
        for (int j = 0; j < ry; j++) {
            for (int i = 0; i < rx; i++) {
                double sum = 0;
                for (int k = 0; k < in; k++) {
                    sum += (double) ay[j * in + k] * ax[i * in + k];
                }
                q[j * rx + i] = sum;
            }
        }
        double trace = 0;
        for (int i = 0; i < rx; i++) {
            for (int j = 0; j < ry; j++) {
                trace += p[i * ry + j] * q[j * rx + i];
            }
        }
        return (double) x.scale() * y.scale() * trace;
    }
}
