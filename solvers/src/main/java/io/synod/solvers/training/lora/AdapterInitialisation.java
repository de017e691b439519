// The factors a LoRA run starts from: PEFT's standard initialisation, or PiSSA's principal singular vectors.
package io.synod.solvers.training.lora;

import ai.djl.ndarray.NDArray;
import io.synod.adapters.lora.LoraModule;
import io.synod.solvers.lora.Projection;
import io.synod.solvers.model.ModelConfig;
import io.synod.solvers.model.TransformerWeights;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Initial A and B of every adapted module, as float arrays (see {@link AdapterOptions.Initialisation}). Stateless. */
final class AdapterInitialisation {
    private AdapterInitialisation() {}

    /**
     * PEFT's default: A uniform in {@code [-1/sqrt(in), 1/sqrt(in)]}, the bound {@code kaiming_uniform_(a=sqrt(5))}
     * gives ({@code gain sqrt(3 / in)} with {@code gain = sqrt(2 / (1 + 5))}), and B zero. Drawn from
     * {@code java.util.Random(seed)}, module by module in layer order, so it does not depend on the device.
     */
    static List<LoraModule> standard(ModelConfig config, AdapterOptions options, long seed) {
        Random random = new Random(seed);
        float scale = (float) options.scale();
        List<LoraModule> modules = new ArrayList<>();
        for (int layer = 0; layer < config.layers(); layer++) {
            for (String projection : AdapterOptions.PROJECTIONS) {
                if (!options.targets(projection)) {
                    continue;
                }
                int in = ModuleLayout.in(config, projection);
                int out = ModuleLayout.out(config, projection);
                double bound = 1 / Math.sqrt(in);
                float[] down = new float[options.rank() * in];
                for (int i = 0; i < down.length; i++) {
                    down[i] = (float) ((2 * random.nextDouble() - 1) * bound);
                }
                modules.add(LoraModule.of(ModuleLayout.moduleName(layer, projection), options.rank(), scale, in, out,
                        down, new float[out * options.rank()]));
            }
        }
        return modules;
    }

    /**
     * PiSSA (Meng, Wang and Zhang 2024, section 3): for each adapted {@code W [out x in] = U S V^T},
     * {@code B = U_r sqrt(S_r / s)} and {@code A = sqrt(S_r / s) V_r^T}, so {@code s B A = U_r S_r V_r^T}, the best
     * rank-r approximation of W (Eckart-Young); then W becomes the residual {@code W - s B A} in {@code base}, in
     * place, so the adapted model starts as the base model. The residual is computed from the float factors, so
     * that {@code residual + s B A} reproduces W to float rounding.
     *
     * @throws IllegalArgumentException if the rank exceeds a target module's smaller width
     */
    static List<LoraModule> principal(TransformerWeights base, AdapterOptions options, long seed) {
        ModelConfig config = base.config();
        int rank = options.rank();
        double scale = options.scale();
        List<LoraModule> modules = new ArrayList<>();
        for (int layer = 0; layer < config.layers(); layer++) {
            TransformerWeights.Layer weights = base.layers().get(layer);
            for (Projection projection : Projection.values()) {
                if (!options.targets(projection)) {
                    continue;
                }
                NDArray fused = switch (projection) {
                    case QUERY_KEY_VALUE -> weights.queryKeyValue();
                    case OUTPUT -> weights.output();
                    case GATE_UP -> weights.gateUp();
                    case DOWN -> weights.down();
                };
                float[] values = fused.toFloatArray();
                for (String name : projection.modules()) {
                    if (!options.targets(name)) {
                        continue;
                    }
                    int in = ModuleLayout.in(config, name);
                    int out = ModuleLayout.out(config, name);
                    String module = ModuleLayout.moduleName(layer, name);
                    if (rank > Math.min(in, out)) {
                        throw new IllegalArgumentException("rank " + rank + " is more than PiSSA can take from " + module
                                + " [" + out + " x " + in + "]; expected a rank of at most " + Math.min(in, out));
                    }
                    int first = ModuleLayout.rowOffset(config, name) * in;
                    float[] weight = Arrays.copyOfRange(values, first, first + out * in);
                    TruncatedSvd.Result svd = TruncatedSvd.top(weight, out, in, rank, seed * 1_000_003L + modules.size());
                    float[] down = new float[rank * in];
                    float[] up = new float[out * rank];
                    for (int j = 0; j < rank; j++) {
                        double root = Math.sqrt(svd.values()[j] / scale);
                        for (int c = 0; c < in; c++) {
                            down[j * in + c] = (float) (root * svd.right()[j][c]);
                        }
                        for (int row = 0; row < out; row++) {
                            up[row * rank + j] = (float) (svd.left()[j][row] * root);
                        }
                    }
                    // W - s B A, written over the module's rows of the fused matrix
                    for (int row = 0; row < out; row++) {
                        for (int c = 0; c < in; c++) {
                            double product = 0;
                            for (int j = 0; j < rank; j++) {
                                product += (double) up[row * rank + j] * down[j * in + c];
                            }
                            values[first + row * in + c] = (float) (weight[row * in + c] - scale * product);
                        }
                    }
                    modules.add(LoraModule.of(module, rank, (float) scale, in, out, down, up));
                }
                fused.set(FloatBuffer.wrap(values));
            }
        }
        return modules;
    }
}
