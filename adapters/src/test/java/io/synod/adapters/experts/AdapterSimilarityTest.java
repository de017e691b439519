package io.synod.adapters.experts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.synod.adapters.lora.LoraAdapter;
import io.synod.adapters.lora.LoraConfig;
import io.synod.adapters.lora.LoraModule;
import io.synod.adapters.lora.TargetModules;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdapterSimilarityTest {

    private static final String Q = "model.layers.0.self_attn.q_proj";
    private static final String V = "model.layers.1.self_attn.v_proj";

    private static LoraModule module(String name, int rank, int in, int out, float scale, Random random) {
        float[] a = new float[rank * in];
        float[] b = new float[out * rank];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) random.nextGaussian();
        }
        return LoraModule.of(name, rank, scale, in, out, a, b);
    }

    private static LoraAdapter adapter(String name, List<LoraModule> modules) {
        return LoraAdapter.of(name, LoraConfig.of(4, 8, TargetModules.names("q_proj", "v_proj"), "base"), modules);
    }

    /** s B A as a dense [out x in] matrix, flattened. */
    private static double[] delta(LoraModule module) {
        double[] w = new double[module.out() * module.in()];
        for (int o = 0; o < module.out(); o++) {
            for (int i = 0; i < module.in(); i++) {
                double sum = 0;
                for (int r = 0; r < module.rank(); r++) {
                    sum += module.b()[o * module.rank() + r] * module.a()[r * module.in() + i];
                }
                w[o * module.in() + i] = module.scale() * sum;
            }
        }
        return w;
    }

    @Test
    void theCosineIsThatOfTheDenseUpdatesConcatenated() {
        Random random = new Random(3);
        LoraAdapter first = adapter("a", List.of(module(Q, 3, 8, 6, 2f, random), module(V, 2, 8, 4, 2f, random)));
        LoraAdapter second = adapter("b", List.of(module(Q, 4, 8, 6, 0.5f, random), module(V, 1, 8, 4, 1f, random)));
        double dot = 0;
        double firstNorm = 0;
        double secondNorm = 0;
        for (int m = 0; m < 2; m++) {
            double[] x = delta(first.modules().get(m));
            double[] y = delta(second.modules().get(m));
            for (int i = 0; i < x.length; i++) {
                dot += x[i] * y[i];
                firstNorm += x[i] * x[i];
                secondNorm += y[i] * y[i];
            }
        }
        assertThat(AdapterSimilarity.cosine(first, second)).isCloseTo(dot / Math.sqrt(firstNorm * secondNorm), within(1e-6));
    }

    @Test
    void refactoringTheFactorsOfAnUpdateLeavesItIdentical() {
        Random random = new Random(5);
        LoraModule original = module(Q, 3, 8, 6, 2f, random);
        // B A = (B D)(D^-1 A) for the diagonal D = diag(2, -0.5, 4): different factors, the same update
        float[] d = {2f, -0.5f, 4f};
        float[] a = original.a().clone();
        float[] b = original.b().clone();
        for (int r = 0; r < 3; r++) {
            for (int i = 0; i < 8; i++) {
                a[r * 8 + i] /= d[r];
            }
            for (int o = 0; o < 6; o++) {
                b[o * 3 + r] *= d[r];
            }
        }
        LoraAdapter first = adapter("a", List.of(original));
        LoraAdapter second = adapter("b", List.of(LoraModule.of(Q, 3, 2f, 8, 6, a, b)));
        assertThat(AdapterSimilarity.cosine(first, second)).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void adaptersOfDisjointModulesAreOrthogonal() {
        Random random = new Random(7);
        LoraAdapter first = adapter("a", List.of(module(Q, 2, 8, 6, 1f, random)));
        LoraAdapter second = adapter("b", List.of(module(V, 2, 8, 4, 1f, random)));
        assertThat(AdapterSimilarity.cosine(first, second)).isZero();
        double[][] matrix = AdapterSimilarity.matrix(List.of(first, second, first));
        assertThat(matrix[0][2]).isCloseTo(1.0, within(1e-9));
        assertThat(matrix[1][0]).isEqualTo(matrix[0][1]);
    }

    @Test
    void adaptersForDifferentBasesAreRefused() {
        Random random = new Random(9);
        LoraAdapter first = adapter("a", List.of(module(Q, 2, 8, 6, 1f, random)));
        LoraAdapter second = adapter("b", List.of(module(Q, 2, 16, 6, 1f, random)));
        assertThatThrownBy(() -> AdapterSimilarity.cosine(first, second)).hasMessageContaining("not the same base model");
    }

    @Test
    void aNegatedUpdateHasCosineMinusOne() {
        Random random = new Random(11);
        LoraModule module = module(Q, 2, 8, 6, 1f, random);
        float[] negated = module.b().clone();
        for (int i = 0; i < negated.length; i++) {
            negated[i] = -negated[i];
        }
        List<LoraModule> modules = new ArrayList<>(List.of(LoraModule.of(Q, 2, 1f, 8, 6, module.a(), negated)));
        assertThat(AdapterSimilarity.cosine(adapter("a", List.of(module)), adapter("b", modules)))
                .isCloseTo(-1.0, within(1e-6));
    }
}
