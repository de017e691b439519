// PiSSA: the initial factors are the principal part of W, the base trains as the residual, and the saved
// rank-2r adapter reproduces the trained model on the original base.
package io.synod.solvers.training.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import io.synod.adapters.lora.LoraAdapter;
import io.synod.adapters.lora.LoraModule;
import io.synod.adapters.safetensors.Checkpoint;
import io.synod.solvers.lora.AdapterMix;
import io.synod.solvers.lora.ResidentAdapter;
import io.synod.solvers.model.LanguageModel;
import io.synod.solvers.model.TransformerWeights;
import io.synod.solvers.training.TrainingData;
import io.synod.solvers.training.TrainingProgress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PissaTest {
    @TempDir static Path directory;
    static Path base;
    static Path output;
    static AdapterTrainer trainer;
    static List<float[]> residualBefore;
    static final AdapterOptions OPTIONS = AdapterOptions.defaults().withName("pissa")
            .withInitialisation(AdapterOptions.Initialisation.PISSA);

    @BeforeAll
    static void train() throws Exception {
        base = AdapterFixtures.writeBase(directory.resolve("base"), 5, 0.25f);
        output = directory.resolve("pissa");
        trainer = AdapterTrainer.open(base, OPTIONS, AdapterFixtures.options(20, 1e-2));
        residualBefore = trainer.base().parameters().stream().map(NDArray::toFloatArray).toList();
        trainer.train(TrainingData.of(AdapterFixtures.CAPITALS), output, TrainingProgress.NONE);
    }

    @AfterAll
    static void close() {
        trainer.close();
    }

    /** The module's rows of the fused weight the trainer holds: [out x in]. */
    private static float[] heldWeight(String projection, int layer) {
        TransformerWeights.Layer weights = trainer.base().layers().get(layer);
        NDArray fused = switch (projection) {
            case "q_proj", "k_proj", "v_proj" -> weights.queryKeyValue();
            case "o_proj" -> weights.output();
            case "gate_proj", "up_proj" -> weights.gateUp();
            default -> weights.down();
        };
        int in = ModuleLayout.in(trainer.config(), projection);
        int first = ModuleLayout.rowOffset(trainer.config(), projection) * in;
        return java.util.Arrays.copyOfRange(fused.toFloatArray(), first, first + ModuleLayout.out(trainer.config(), projection) * in);
    }

    private static float[] originalWeight(String module) {
        try (Checkpoint checkpoint = Checkpoint.open(base)) {
            return checkpoint.floats(module + ".weight");
        }
    }

    /** s B A, [out x in], in double. */
    private static double[] scaledProduct(LoraModule module) {
        double[] product = new double[module.out() * module.in()];
        for (int row = 0; row < module.out(); row++) {
            for (int column = 0; column < module.in(); column++) {
                double sum = 0;
                for (int r = 0; r < module.rank(); r++) {
                    sum += (double) module.b()[row * module.rank() + r] * module.a()[r * module.in() + column];
                }
                product[row * module.in() + column] = module.scale() * sum;
            }
        }
        return product;
    }

    @Test
    void theResidualPlusTheScaledInitialFactorsIsTheOriginalWeight() {
        assertThat(trainer.initialFactors().modules()).hasSize(4);
        for (LoraModule module : trainer.initialFactors().modules()) {
            float[] original = originalWeight(module.module());
            float[] residual = heldWeight(module.projection(), module.layer());
            double[] product = scaledProduct(module);
            double largest = 0;
            for (int i = 0; i < original.length; i++) {
                largest = Math.max(largest, Math.abs(residual[i] + product[i] - original[i]));
            }
            assertThat(largest).as(module.module()).isLessThan(1e-4);
        }
    }

    @Test
    void theInitialFactorsAreTheBestRankRApproximation() {
        for (LoraModule module : trainer.initialFactors().modules()) {
            float[] original = originalWeight(module.module());
            double[] sigma = ReferenceSpectrum.singularValues(original, module.out(), module.in());
            int rank = module.rank();
            double s = module.scale();
            // s B^T B = s A A^T = diag(sigma_1..sigma_r): B = U_r sqrt(S_r / s), A = sqrt(S_r / s) V_r^T
            for (int i = 0; i < rank; i++) {
                for (int j = 0; j < rank; j++) {
                    double columns = 0;
                    for (int row = 0; row < module.out(); row++) {
                        columns += (double) module.b()[row * rank + i] * module.b()[row * rank + j];
                    }
                    double rows = 0;
                    for (int c = 0; c < module.in(); c++) {
                        rows += (double) module.a()[i * module.in() + c] * module.a()[j * module.in() + c];
                    }
                    double expected = i == j ? sigma[i] : 0;
                    assertThat(s * columns).as("%s: (s B^T B)[%d][%d]", module.module(), i, j)
                            .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-4 * sigma[0]));
                    assertThat(s * rows).as("%s: (s A A^T)[%d][%d]", module.module(), i, j)
                            .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-4 * sigma[0]));
                }
            }
            // Eckart-Young: ||W - s B A||_F^2 is the sum of the squares of the other singular values
            double[] product = scaledProduct(module);
            double error = 0;
            for (int i = 0; i < original.length; i++) {
                error += (original[i] - product[i]) * (original[i] - product[i]);
            }
            double tail = 0;
            for (int i = rank; i < sigma.length; i++) {
                tail += sigma[i] * sigma[i];
            }
            assertThat(error).as(module.module()).isCloseTo(tail, org.assertj.core.data.Offset.offset(1e-4 * tail));
        }
    }

    @Test
    void theResidualBaseStaysBitIdenticalWhileTheFactorsTrain() {
        List<float[]> after = trainer.base().parameters().stream().map(NDArray::toFloatArray).toList();
        for (int i = 0; i < after.size(); i++) {
            assertThat(after.get(i)).as("base array %d", i).containsExactly(residualBefore.get(i));
        }
        assertThat(trainer.trainedFactors().modules().get(0).b())
                .isNotEqualTo(trainer.initialFactors().modules().get(0).b());
    }

    @Test
    void theSavedRank2rAdapterOnTheOriginalBaseGivesTheTrainedModelsLogits() {
        LoraAdapter saved = LoraAdapter.read("pissa", output);
        assertThat(saved.config().rank()).isEqualTo(16);
        assertThat(saved.config().alpha()).isEqualTo(32);
        assertThat(saved.modules()).allSatisfy(module -> assertThat(module.scale()).isEqualTo(2f));
        assertThat(output.resolve(AdapterTrainer.TRAINING_FILE)).content()
                .contains("\"initialisation\" : \"pissa\"", "\"trained_rank\" : 8", "\"saved_rank\" : 16");
        int[] ids = {256, 'c', 'a', 'p', 'i', 't', 'a', 'l', ' ', 'o', 'f', ' ', 'T', 'o', 'g', 'o', '?', ' ', 'L'};
        try (LanguageModel model = LanguageModel.load(base, AdapterFixtures.CPU);
             ResidentAdapter resident = model.materialise(saved, 16)) {
            float[] served = model.logits(ids, AdapterMix.of(resident));
            float[] trained = trainer.logits(ids);
            double largest = 0;
            double changed = 0;
            float[] plain = model.logits(ids);
            for (int i = 0; i < served.length; i++) {
                largest = Math.max(largest, Math.abs(served[i] - trained[i]));
                changed = Math.max(changed, Math.abs(plain[i] - trained[i]));
            }
            assertThat(largest).isLessThan(1e-4);
            assertThat(changed).isGreaterThan(0.1);
        }
    }

    @Test
    void aRankBeyondAModulesWidthIsRefusedNamingTheModule() {
        assertThatThrownBy(() -> AdapterTrainer.open(base, OPTIONS.withRank(40), AdapterFixtures.options(1, 1e-2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model.layers.0.self_attn.v_proj [32 x 64]")
                .hasMessageContaining("at most 32");
    }
}
