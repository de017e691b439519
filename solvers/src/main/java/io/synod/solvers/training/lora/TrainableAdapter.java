// LoRA factors being trained: one A and one B per adapted module, applied unmerged inside the forward pass.
package io.synod.solvers.training.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import io.synod.adapters.lora.LoraAdapter;
import io.synod.adapters.lora.LoraModule;
import io.synod.solvers.lora.LowRankUpdate;
import io.synod.solvers.lora.Projection;
import io.synod.solvers.model.ModelConfig;
import io.synod.solvers.training.AdamW;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The factors of an adapter under training, on the model's device, one {@code A [r, in]} and {@code B [out, r]}
 * per module as PEFT holds them (not the runtime's fused layout, whose structural zeros would train). For a fused
 * projection the update of each module is computed on its own, {@code s (x A^T) B^T}, and the updates are
 * concatenated in the fused row order, with zeros for modules the adapter leaves alone. The scale is an array,
 * not a Java number: DJL frees a number operand's tensor while autograd still holds it (see AutogradTest).
 * Owns its arrays; {@link #close()} frees them. Not thread-safe.
 */
final class TrainableAdapter implements LowRankUpdate, AutoCloseable {

    /** One module: its PEFT description (initial values) and the trained arrays. */
    private record Factors(LoraModule module, NDArray down, NDArray up, NDArray scale) {}

    private final LoraAdapter initial;
    private final NDManager manager;
    private final ModelConfig config;
    private final List<Map<Projection, Factors[]>> layers = new ArrayList<>();
    private final List<Factors> all = new ArrayList<>();

    /** Copies {@code initial}'s factors onto {@code parent}'s device, in a manager of its own, ready for gradients. */
    TrainableAdapter(LoraAdapter initial, ModelConfig config, NDManager parent) {
        this.initial = initial;
        this.config = config;
        this.manager = parent.newSubManager();
        for (int layer = 0; layer < config.layers(); layer++) {
            layers.add(new EnumMap<>(Projection.class));
        }
        for (LoraModule module : initial.modules()) {
            Projection projection = Projection.of(module.projection());
            NDArray down = manager.create(module.a(), new Shape(module.rank(), module.in()));
            NDArray up = manager.create(module.b(), new Shape(module.out(), module.rank()));
            down.setRequiresGradient(true);
            up.setRequiresGradient(true);
            Factors factors = new Factors(module, down, up, manager.create(module.scale()));
            layers.get(module.layer())
                    .computeIfAbsent(projection, key -> new Factors[key.modules().size()])
                    [projection.modules().indexOf(module.projection())] = factors;
            all.add(factors);
        }
    }

    /** The adapter as it was when training started. */
    LoraAdapter initial() {
        return initial;
    }

    /**
     * {@code output + concat over the projection's modules of s (x A^T) B^T} (zeros for a module not adapted).
     *
     * @param input  [B, T, in]
     * @param output [B, T, out]
     */
    @Override
    public NDArray apply(NDArray input, NDArray output, int layer, Projection projection) {
        Factors[] slots = layers.get(layer).get(projection);
        if (slots == null) {
            return output;
        }
        int last = input.getShape().dimension() - 1;
        NDList updates = new NDList(slots.length);
        for (int i = 0; i < slots.length; i++) {
            Factors factors = slots[i];
            if (factors == null) {
                // [B, T, out of this module]: a constant, so its module stays exactly the base's
                Shape shape = input.getShape().slice(0, last).add(ModuleLayout.out(config, projection.modules().get(i)));
                updates.add(input.getManager().zeros(shape, output.getDataType()));
            } else {
                // s (x A^T) B^T: [B, T, in] -> [B, T, r] -> [B, T, out]
                updates.add(Linear.linear(Linear.linear(input, factors.down()).get(0), factors.up()).get(0)
                        .mul(factors.scale()));
            }
        }
        NDArray update = updates.size() == 1 ? updates.get(0) : NDArrays.concat(updates, last);
        return output.add(update);
    }

    /** A and B of every module, named by their PEFT keys, with weight decay (as HuggingFace's Trainer decays them). */
    List<AdamW.Parameter> parameters() {
        List<AdamW.Parameter> parameters = new ArrayList<>();
        for (Factors factors : all) {
            String prefix = "base_model.model." + factors.module().module();
            parameters.add(new AdamW.Parameter(prefix + ".lora_A.weight", factors.down(), true));
            parameters.add(new AdamW.Parameter(prefix + ".lora_B.weight", factors.up(), true));
        }
        return parameters;
    }

    /** The current factors as a PEFT adapter, with the initial adapter's name and config. */
    LoraAdapter snapshot() {
        List<LoraModule> modules = new ArrayList<>();
        for (Factors factors : all) {
            LoraModule module = factors.module();
            modules.add(LoraModule.of(module.module(), module.rank(), module.scale(), module.in(), module.out(),
                    floatsOf(factors.down()), floatsOf(factors.up())));
        }
        return LoraAdapter.of(initial.name(), initial.config(), modules);
    }

    /** The values on the CPU; a copy made for the purpose is closed at once. */
    private static float[] floatsOf(NDArray array) {
        NDArray onCpu = array.toDevice(ai.djl.Device.cpu(), false);
        try {
            return onCpu.toFloatArray();
        } finally {
            if (onCpu != array) {
                onCpu.close();
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
