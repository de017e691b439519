// A PEFT LoRA adapter: its settings and the factors of every adapted module, read from or written to a directory.
package io.synod.adapters.lora;

import io.synod.adapters.safetensors.DType;
import io.synod.adapters.safetensors.SafetensorsException;
import io.synod.adapters.safetensors.SafetensorsFile;
import io.synod.adapters.safetensors.SafetensorsWriter;
import io.synod.adapters.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A LoRA adapter in HuggingFace PEFT's format: a directory holding {@value #CONFIG_FILE} ({@link LoraConfig})
 * and {@value #WEIGHTS_FILE}, whose keys are {@code base_model.model.<module>.lora_A.weight}
 * ({@code [r x in]}) and {@code base_model.model.<module>.lora_B.weight} ({@code [out x r]}) for every
 * adapted module, in F32, F16 or BF16. A pickled {@value #PICKLED_FILE} is refused: unpickling can run code.
 *
 * <p>{@link #read} checks what the files alone can tell (the settings, that every key is a LoRA factor, that
 * A and B come in pairs of one rank); {@link #validate} checks the adapter against a base model. Immutable
 * and safe to share between threads; the factor arrays are shared, not copied (see {@link LoraModule}).
 */
public final class LoraAdapter {

    /** The settings file. */
    public static final String CONFIG_FILE = "adapter_config.json";

    /** The weights file. */
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";

    /** PEFT's pickled weights file, refused. */
    public static final String PICKLED_FILE = "adapter_model.bin";

    /** PEFT's prefix of every key: the PeftModel's {@code base_model} (the LoraModel) and its {@code model}. */
    private static final String KEY_PREFIX = "base_model.model.";
    private static final String A_SUFFIX = ".lora_A.weight";
    private static final String B_SUFFIX = ".lora_B.weight";

    private static final Comparator<LoraModule> ORDER = Comparator.comparingInt(LoraModule::layer)
            .thenComparing(LoraModule::projection)
            .thenComparing(LoraModule::module);

    private final String name;
    private final LoraConfig config;
    private final List<LoraModule> modules;
    private final long byteSize;

    private LoraAdapter(String name, LoraConfig config, List<LoraModule> modules) {
        this.name = name;
        this.config = config;
        this.modules = modules;
        this.byteSize = modules.stream().mapToLong(LoraModule::byteSize).sum();
    }

    /**
     * An adapter made in memory (for example just trained).
     *
     * @throws IllegalArgumentException if the name is blank or two modules have the same name
     */
    public static LoraAdapter of(String name, LoraConfig config, List<LoraModule> modules) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an adapter needs a name");
        }
        Set<String> seen = new HashSet<>();
        for (LoraModule module : modules) {
            if (!seen.add(module.module())) {
                throw new IllegalArgumentException("adapter '" + name + "': module '" + module.module()
                        + "' is given twice");
            }
        }
        List<LoraModule> sorted = new ArrayList<>(modules);
        sorted.sort(ORDER);
        return new LoraAdapter(name, config, List.copyOf(sorted));
    }

    /**
     * Reads the adapter in a directory.
     *
     * @param name the adapter's name, for messages and {@link #name()}
     * @throws AdapterException naming the adapter and the file, setting or key at fault: no
     *     {@value #WEIGHTS_FILE} (with how to convert a pickled {@value #PICKLED_FILE}), a refused setting
     *     (see {@link LoraConfig#read}), a key that is not a LoRA factor, a factor without its partner, a
     *     dtype other than F32, F16 or BF16, or A and B of different ranks
     */
    public static LoraAdapter read(String name, Path directory) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(directory, "directory");
        String where = "adapter '" + name + "' (" + directory + ")";
        if (!Files.isDirectory(directory)) {
            throw new AdapterException(where + ": not a directory; expected one holding " + CONFIG_FILE + " and "
                    + WEIGHTS_FILE);
        }
        Path weights = directory.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(weights)) {
            if (Files.exists(directory.resolve(PICKLED_FILE))) {
                throw new AdapterException(where + ": has only " + PICKLED_FILE + ", a pickled PyTorch file, which is"
                        + " refused because unpickling can run arbitrary code. Convert it where you trust it: load it"
                        + " with PEFT (PeftModel.from_pretrained(base_model, directory)) and call"
                        + " model.save_pretrained(directory, safe_serialization=True), which writes " + WEIGHTS_FILE);
            }
            throw new AdapterException(where + ": has no " + WEIGHTS_FILE);
        }
        LoraConfig config = LoraConfig.read(directory.resolve(CONFIG_FILE), name);
        try (SafetensorsFile file = SafetensorsFile.open(weights)) {
            return of(name, config, readModules(name, config, file));
        } catch (SafetensorsException e) {
            throw new AdapterException(where + ": " + e.getMessage(), e);
        }
    }

    /** The adapter's name. */
    public String name() {
        return name;
    }

    /** The adapter's settings. */
    public LoraConfig config() {
        return config;
    }

    /** Every adapted module, sorted by layer, then projection; unmodifiable. */
    public List<LoraModule> modules() {
        return modules;
    }

    /** Bytes the factors take as floats: what the adapter costs when resident. */
    public long byteSize() {
        return byteSize;
    }

    /**
     * Checks the adapter against a base model: every module it adapts is a linear module of the base and is
     * targeted by its config; A is {@code [r x in]} and B {@code [out x r]} for the base module's
     * {@code (in, out)} and the config's rank for that module; no rank exceeds {@code maxRank}; each scale
     * is the config's; and every base module the config targets has its factors.
     *
     * @throws AdapterException naming the adapter, the key and the expected shape, at the first problem
     */
    public void validate(BaseModelShape base, int maxRank) {
        Map<String, ModuleShape> shapes = base.linearModules();
        Set<String> adapted = new HashSet<>();
        for (LoraModule module : modules) {
            String name = module.module();
            adapted.add(name);
            String keyA = keyA(name);
            String keyB = keyB(name);
            ModuleShape shape = shapes.get(name);
            if (shape == null) {
                throw new AdapterException(prefix() + "key '" + keyA + "' adapts module '" + name + "', which the base"
                        + " model does not have; expected a linear module of the base, such as "
                        + examples(shapes.keySet()));
            }
            if (!config.targets(name, module.layer())) {
                throw new AdapterException(prefix() + "key '" + keyA + "' adapts module '" + name + "', which "
                        + CONFIG_FILE + " does not target (target_modules " + describe(config.targets())
                        + (config.layersToTransform().isEmpty() ? "" : ", layers_to_transform "
                        + config.layersToTransform()) + ")");
            }
            int rank = config.rankFor(name);
            if (module.rank() > maxRank) {
                throw new AdapterException(prefix() + "key '" + keyA + "' has shape " + shapeOf(module.rank(), module.in())
                        + ", rank " + module.rank() + " over the maximum rank " + maxRank + "; expected [r, "
                        + shape.in() + "] with r <= " + maxRank);
            }
            if (module.rank() != rank || module.in() != shape.in()) {
                throw new AdapterException(prefix() + "key '" + keyA + "' has shape " + shapeOf(module.rank(), module.in())
                        + "; expected " + shapeOf(rank, shape.in()) + " ([r, in] with r = " + rank + " from "
                        + CONFIG_FILE + " and in = " + shape.in() + " from the base model)");
            }
            if (module.out() != shape.out()) {
                throw new AdapterException(prefix() + "key '" + keyB + "' has shape " + shapeOf(module.out(), module.rank())
                        + "; expected " + shapeOf(shape.out(), rank) + " ([out, r] with out = " + shape.out()
                        + " from the base model and r = " + rank + " from " + CONFIG_FILE + ")");
            }
            double scale = config.scaleFor(name);
            if (Math.abs(module.scale() - scale) > 1e-6 * Math.max(1, Math.abs(scale))) {
                throw new AdapterException(prefix() + "module '" + name + "' has scale " + module.scale()
                        + "; expected " + scale + " (" + (config.useRslora() ? "alpha / sqrt(r)" : "alpha / r")
                        + " with alpha = " + config.alphaFor(name) + " and r = " + rank + ")");
            }
        }
        for (String name : new TreeSet<>(shapes.keySet())) {
            if (!adapted.contains(name) && config.targets(name, LoraConfig.layerOf(name))) {
                ModuleShape shape = shapes.get(name);
                int rank = config.rankFor(name);
                throw new AdapterException(prefix() + CONFIG_FILE + " targets base module '" + name + "', but the"
                        + " adapter has no '" + keyA(name) + "' " + shapeOf(rank, shape.in()) + " and '" + keyB(name)
                        + "' " + shapeOf(shape.out(), rank));
            }
        }
        if (modules.isEmpty()) {
            throw new AdapterException(prefix() + "adapts no module; expected lora_A and lora_B factors for the modules"
                    + " that target_modules " + describe(config.targets()) + " selects");
        }
    }

    /**
     * Writes the adapter as PEFT's {@code save_pretrained} does: {@value #WEIGHTS_FILE} (F32, keys as PEFT
     * names them, header metadata {@code {"format": "pt"}}) and then {@value #CONFIG_FILE}, each written
     * atomically (a temporary file renamed over the target), so a reader never sees part of a file, and a
     * new adapter directory only counts as one (holds its config) once its weights are complete. Creates
     * the directory if needed. Deterministic: the same adapter gives the same bytes.
     *
     * @throws AdapterException naming the adapter and the file, if a file cannot be written
     */
    public void write(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new AdapterException(prefix() + directory + ": could not create the directory (" + e + ")", e);
        }
        SafetensorsWriter writer = SafetensorsWriter.create().metadata("format", "pt");
        for (LoraModule module : modules) {
            writer.putFloats(keyA(module.module()), new long[] {module.rank(), module.in()}, module.a(), DType.F32);
            writer.putFloats(keyB(module.module()), new long[] {module.out(), module.rank()}, module.b(), DType.F32);
        }
        try {
            writer.write(directory.resolve(WEIGHTS_FILE));
        } catch (SafetensorsException e) {
            throw new AdapterException(prefix() + e.getMessage(), e);
        }
        try {
            config.write(directory.resolve(CONFIG_FILE));
        } catch (AdapterException e) {
            throw new AdapterException(prefix() + e.getMessage(), e);
        }
    }

    /** PEFT's key of a module's A factor. */
    static String keyA(String module) {
        return KEY_PREFIX + module + A_SUFFIX;
    }

    /** PEFT's key of a module's B factor. */
    static String keyB(String module) {
        return KEY_PREFIX + module + B_SUFFIX;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LoraAdapter that
                && name.equals(that.name)
                && config.equals(that.config)
                && modules.equals(that.modules);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, config, modules);
    }

    @Override
    public String toString() {
        return "LoraAdapter[" + name + ", " + modules.size() + " modules, " + byteSize + " bytes]";
    }

    private String prefix() {
        return "adapter '" + name + "': ";
    }

    private static List<LoraModule> readModules(String name, LoraConfig config, SafetensorsFile file) {
        String prefix = "adapter '" + name + "': ";
        SortedMap<String, TensorInfo> factorsA = new TreeMap<>();
        SortedMap<String, TensorInfo> factorsB = new TreeMap<>();
        for (TensorInfo tensor : file.tensors()) {
            String key = tensor.name();
            boolean isA = key.endsWith(A_SUFFIX);
            boolean isB = key.endsWith(B_SUFFIX);
            String suffix = isA ? A_SUFFIX : B_SUFFIX;
            if (!key.startsWith(KEY_PREFIX) || !(isA || isB) || key.length() <= KEY_PREFIX.length() + suffix.length()) {
                throw new AdapterException(prefix + "unexpected key '" + key + "' in " + WEIGHTS_FILE + "; expected only "
                        + KEY_PREFIX + "<module>" + A_SUFFIX + " and " + KEY_PREFIX + "<module>" + B_SUFFIX
                        + " (DoRA magnitudes, biases, embeddings and saved modules are not supported)");
            }
            if (tensor.dtype() != DType.F32 && tensor.dtype() != DType.F16 && tensor.dtype() != DType.BF16) {
                throw new AdapterException(prefix + "key '" + key + "' is " + tensor.dtype()
                        + "; expected F32, F16 or BF16");
            }
            long[] shape = tensor.shape();
            if (shape.length != 2 || shape[0] <= 0 || shape[1] <= 0 || shape[0] > Integer.MAX_VALUE
                    || shape[1] > Integer.MAX_VALUE) {
                throw new AdapterException(prefix + "key '" + key + "' has shape " + Arrays.toString(shape)
                        + "; expected a matrix, " + (isA ? "[r, in]" : "[out, r]"));
            }
            String module = key.substring(KEY_PREFIX.length(), key.length() - suffix.length());
            (isA ? factorsA : factorsB).put(module, tensor);
        }
        List<LoraModule> modules = new ArrayList<>();
        Set<String> names = new TreeSet<>(factorsA.keySet());
        names.addAll(factorsB.keySet());
        for (String module : names) {
            TensorInfo a = factorsA.get(module);
            TensorInfo b = factorsB.get(module);
            if (a == null || b == null) {
                String present = a == null ? keyB(module) : keyA(module);
                String missing = a == null ? keyA(module) : keyB(module);
                throw new AdapterException(prefix + "key '" + present + "' has no partner '" + missing + "' (expected "
                        + (a == null ? "[r, in]" : "[out, r]") + "); lora_A and lora_B come in pairs");
            }
            long[] shapeA = a.shape();
            long[] shapeB = b.shape();
            if (shapeA[0] != shapeB[1]) {
                int rank = config.rankFor(module);
                if (shapeA[0] == rank) {
                    throw new AdapterException(prefix + "key '" + b.name() + "' has shape " + Arrays.toString(shapeB)
                            + "; expected " + shapeOf(shapeB[0], rank) + " (its lora_A and " + CONFIG_FILE
                            + " have rank " + rank + ")");
                }
                throw new AdapterException(prefix + "key '" + a.name() + "' has shape " + Arrays.toString(shapeA)
                        + "; expected " + shapeOf(rank, shapeA[1]) + " (rank " + rank + " from " + CONFIG_FILE
                        + "; its lora_B has rank " + shapeB[1] + ")");
            }
            modules.add(new LoraModule(module, LoraConfig.layerOf(module), LoraModule.projectionOf(module),
                    (int) shapeA[0], (float) config.scaleFor(module), (int) shapeA[1], (int) shapeB[0],
                    file.floats(a.name()), file.floats(b.name())));
        }
        return modules;
    }

    private static String shapeOf(long rows, long columns) {
        return "[" + rows + ", " + columns + "]";
    }

    private static String describe(TargetModules targets) {
        if (targets instanceof TargetModules.Names names) {
            return names.names().toString();
        }
        if (targets instanceof TargetModules.Regex regex) {
            return "'" + regex.pattern() + "'";
        }
        return "'" + TargetModules.ALL_LINEAR + "'";
    }

    private static String examples(Set<String> modules) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(modules));
        if (sorted.isEmpty()) {
            return "(none: the base model lists no linear modules)";
        }
        return "'" + String.join("', '", sorted.subList(0, Math.min(3, sorted.size()))) + "'"
                + (sorted.size() > 3 ? " (" + sorted.size() + " in all)" : "");
    }
}
