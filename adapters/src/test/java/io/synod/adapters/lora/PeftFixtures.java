// Writes adapters the way PEFT's save_pretrained lays them out, for a tiny Llama-shaped base model.
package io.synod.adapters.lora;

import io.synod.adapters.safetensors.DType;
import io.synod.adapters.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A two-layer Llama-shaped base (hidden 8, key/value 4, intermediate 12) and helpers that write
 * {@code adapter_config.json} as text and {@code adapter_model.safetensors} with PEFT's key names.
 */
public final class PeftFixtures {

    public static final int LAYERS = 2;

    /** q/k/v/o_proj and gate/up/down_proj of every layer, with their (in, out). */
    public static final Map<String, ModuleShape> LINEAR_MODULES = linearModules();

    public static final BaseModelShape TINY_LLAMA = () -> LINEAR_MODULES;

    private PeftFixtures() {
    }

    /**
     * A config as PEFT 0.13 writes it (r 2, lora_alpha 4, q_proj and v_proj), with settings replaced or
     * added: {@code config("r", "4", "use_rslora", "true")}. Values are JSON text; "null" writes null.
     */
    public static String config(String... overrides) {
        Map<String, String> settings = new TreeMap<>();
        settings.put("alpha_pattern", "{}");
        settings.put("auto_mapping", "null");
        settings.put("base_model_name_or_path", "\"HuggingFaceTB/SmolLM2-135M\"");
        settings.put("bias", "\"none\"");
        settings.put("fan_in_fan_out", "false");
        settings.put("inference_mode", "true");
        settings.put("init_lora_weights", "true");
        settings.put("layer_replication", "null");
        settings.put("layers_pattern", "null");
        settings.put("layers_to_transform", "null");
        settings.put("loftq_config", "{}");
        settings.put("lora_alpha", "4");
        settings.put("lora_dropout", "0.05");
        settings.put("megatron_config", "null");
        settings.put("megatron_core", "\"megatron.core\"");
        settings.put("modules_to_save", "null");
        settings.put("peft_type", "\"LORA\"");
        settings.put("r", "2");
        settings.put("rank_pattern", "{}");
        settings.put("revision", "null");
        settings.put("target_modules", "[\n    \"v_proj\",\n    \"q_proj\"\n  ]");
        settings.put("task_type", "\"CAUSAL_LM\"");
        settings.put("use_dora", "false");
        settings.put("use_rslora", "false");
        for (int i = 0; i < overrides.length; i += 2) {
            settings.put(overrides[i], overrides[i + 1]);
        }
        StringBuilder json = new StringBuilder("{\n");
        settings.forEach((key, value) -> json.append("  \"").append(key).append("\": ").append(value).append(",\n"));
        json.setLength(json.length() - 2);
        return json.append("\n}").toString();
    }

    /** Tensors for {@code adapter_model.safetensors}, keyed as PEFT keys them. */
    public static Weights weights() {
        return new Weights();
    }

    /** Writes the config text and the weights into the directory, creating it. */
    public static Path adapter(Path directory, String configJson, Weights weights) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve(LoraAdapter.CONFIG_FILE), configJson, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        weights.write(directory.resolve(LoraAdapter.WEIGHTS_FILE));
        return directory;
    }

    /** PEFT's key of a module's factor: {@code base_model.model.<module>.lora_A.weight}. */
    public static String key(String module, String factor) {
        return "base_model.model." + module + ".lora_" + factor + ".weight";
    }

    /** Reproducible values in [-1, 1) with two decimals, exact in F16 and close in BF16. */
    public static float[] values(int count, long seed) {
        Random random = new Random(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (random.nextInt(200) - 100) / 128f;
        }
        return values;
    }

    /** A builder of PEFT-keyed tensors. */
    public static final class Weights {

        private final Map<String, Object[]> tensors = new LinkedHashMap<>();
        private DType dtype = DType.F32;

        /** Stores every factor in this type. */
        public Weights as(DType storeAs) {
            this.dtype = storeAs;
            return this;
        }

        /** A [rank x in] and B [out x rank] for a base module, with reproducible values. */
        public Weights lora(String module, int rank) {
            ModuleShape shape = LINEAR_MODULES.get(module);
            return lora(module, rank, shape.in(), shape.out());
        }

        /** A [rank x in] and B [out x rank] of any widths. */
        public Weights lora(String module, int rank, int in, int out) {
            tensor(key(module, "A"), new long[] {rank, in}, values(rank * in, module.hashCode()));
            return tensor(key(module, "B"), new long[] {out, rank}, values(out * rank, module.hashCode() + 1L));
        }

        /** Any tensor. */
        public Weights tensor(String key, long[] shape, float[] values) {
            tensors.put(key, new Object[] {shape, values});
            return this;
        }

        /** Drops a tensor. */
        public Weights without(String key) {
            tensors.remove(key);
            return this;
        }

        /** The values put under the key. */
        public float[] valuesOf(String key) {
            return (float[]) tensors.get(key)[1];
        }

        void write(Path file) {
            SafetensorsWriter writer = SafetensorsWriter.create().metadata("format", "pt");
            tensors.forEach((key, tensor) -> writer.putFloats(key, (long[]) tensor[0], (float[]) tensor[1], dtype));
            writer.write(file);
        }
    }

    private static Map<String, ModuleShape> linearModules() {
        int hidden = 8;
        int keyValue = 4;
        int intermediate = 12;
        Map<String, ModuleShape> modules = new TreeMap<>();
        for (int layer = 0; layer < LAYERS; layer++) {
            String prefix = "model.layers." + layer + ".";
            modules.put(prefix + "self_attn.q_proj", new ModuleShape(hidden, hidden));
            modules.put(prefix + "self_attn.k_proj", new ModuleShape(hidden, keyValue));
            modules.put(prefix + "self_attn.v_proj", new ModuleShape(hidden, keyValue));
            modules.put(prefix + "self_attn.o_proj", new ModuleShape(hidden, hidden));
            modules.put(prefix + "mlp.gate_proj", new ModuleShape(hidden, intermediate));
            modules.put(prefix + "mlp.up_proj", new ModuleShape(hidden, intermediate));
            modules.put(prefix + "mlp.down_proj", new ModuleShape(intermediate, hidden));
        }
        return Map.copyOf(modules);
    }
}
