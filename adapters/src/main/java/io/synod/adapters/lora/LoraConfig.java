// The settings of a PEFT LoRA adapter: adapter_config.json, read with PEFT's matching rules.
package io.synod.adapters.lora;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings of a LoRA adapter as HuggingFace PEFT writes them in {@code adapter_config.json}.
 *
 * <p>Each adapted module {@code W [out x in]} gains {@code A [r x in]} and {@code B [out x r]}, and its
 * output becomes {@code x W^T + s (x A^T) B^T} with {@code s = alpha / r}, or {@code alpha / sqrt(r)} with
 * rank-stabilised LoRA (Kalajdzievski 2023, "A Rank Stabilization Scaling Factor for Fine-Tuning with
 * LoRA"). Module names are relative to the causal-LM model: {@code model.layers.3.self_attn.q_proj}.
 *
 * <p>The rules follow PEFT ({@code peft.tuners.tuners_utils.check_target_module_exists} and
 * {@code peft.utils.other.get_pattern_key}):
 * <ul>
 *   <li>{@link #targets}: see {@link TargetModules}; {@code layers_to_transform}, when not empty, keeps
 *       only modules of those layers, except that a module whose whole name is listed in
 *       {@code target_modules} is always a target (PEFT checks that case first). PEFT refuses
 *       {@code layers_to_transform} with a regex {@code target_modules}, and so does this record.
 *   <li>{@link #rankFor} and {@link #alphaFor}: the first key, in the file's order, of
 *       {@code rank_pattern} (respectively {@code alpha_pattern}) for which the regex
 *       {@code (.*\.)?(key)} matches the whole module name wins; so {@code "q_proj"} matches every
 *       {@code ...q_proj}, {@code "layers.0.self_attn.q_proj"} one module, and {@code "layers\.[0-3]\..*"}
 *       is a pattern. Keys are regexes, compiled by {@code java.util.regex}. The two maps are looked up
 *       independently, as current PEFT does (PEFT before 0.14 looked up one key for both, a bug).
 *   <li>{@code fan_in_fan_out}: kept and written back, but it does not change how A and B are stored.
 *       PEFT's {@code lora_A} and {@code lora_B} are always {@code nn.Linear} layers of weights
 *       {@code [r x in]} and {@code [out x r]}; the flag only says that the base weight is stored
 *       {@code [in x out]} (GPT-2's {@code Conv1D}), which matters when merging. For the {@code nn.Linear}
 *       projections of a Llama-style decoder PEFT resets it to false with a warning.
 * </ul>
 *
 * <p>Immutable; the maps keep their iteration order (it decides which pattern wins, so pass a
 * {@link LinkedHashMap} when several keys could match one module) and the record's accessors return
 * unmodifiable views. When written, they keep that order (PEFT's own writer sorts them). {@code baseModel} may be null, as {@code base_model_name_or_path} may be.
 *
 * @param rank {@code r}, the rank of every module no {@code rank_pattern} key matches
 * @param alpha {@code lora_alpha}, the alpha of every module no {@code alpha_pattern} key matches
 * @param targets {@code target_modules}
 * @param useRslora {@code use_rslora}: scale by {@code alpha / sqrt(r)} instead of {@code alpha / r}
 * @param fanInFanOut {@code fan_in_fan_out}: the base weight is stored transposed (see above)
 * @param rankPattern {@code rank_pattern}: pattern to rank, in file order
 * @param alphaPattern {@code alpha_pattern}: pattern to alpha, in file order
 * @param layersToTransform {@code layers_to_transform}: the layer indexes adapted; empty for all
 * @param baseModel {@code base_model_name_or_path}, or null
 */
public record LoraConfig(int rank, double alpha, TargetModules targets, boolean useRslora, boolean fanInFanOut,
        Map<String, Integer> rankPattern, Map<String, Double> alphaPattern, List<Integer> layersToTransform,
        String baseModel) {

    private static final Logger log = LoggerFactory.getLogger(LoraConfig.class);

    /** PEFT's defaults for {@code r} and {@code lora_alpha} when the file leaves them out. */
    private static final int DEFAULT_RANK = 8;
    private static final double DEFAULT_ALPHA = 8;

    /**
     * Initialisations that change the base model's weights (PiSSA, OLoRA, CorDA subtract the initial
     * adapter from them; LoftQ replaces them), so the saved adapter only works on that altered base.
     */
    private static final List<String> BASE_ALTERING_INITIALISATIONS = List.of("pissa", "olora", "corda", "loftq");

    private static final Pattern LAYER = Pattern.compile("^model\\.layers\\.(\\d+)\\.");

    /**
     * @throws IllegalArgumentException if the rank or a pattern's rank is not positive, an alpha is not
     *     finite, a pattern is not a valid regex, a layer index is negative, or {@code layersToTransform}
     *     is combined with a regex {@code targets}
     */
    public LoraConfig {
        if (rank <= 0) {
            throw new IllegalArgumentException("r must be positive, got " + rank);
        }
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("lora_alpha must be a finite number, got " + alpha);
        }
        Objects.requireNonNull(targets, "targets");
        rankPattern = orderedCopy(rankPattern, "rank_pattern");
        alphaPattern = orderedCopy(alphaPattern, "alpha_pattern");
        rankPattern.forEach((key, value) -> {
            if (value <= 0) {
                throw new IllegalArgumentException("rank_pattern['" + key + "'] must be positive, got " + value);
            }
        });
        alphaPattern.forEach((key, value) -> {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("alpha_pattern['" + key + "'] must be finite, got " + value);
            }
        });
        layersToTransform = layersToTransform == null ? List.of() : List.copyOf(layersToTransform);
        for (int layer : layersToTransform) {
            if (layer < 0) {
                throw new IllegalArgumentException("layers_to_transform must hold layer indexes >= 0, got "
                        + layersToTransform);
            }
        }
        if (targets instanceof TargetModules.Regex && !layersToTransform.isEmpty()) {
            throw new IllegalArgumentException("layers_to_transform cannot be combined with a regex target_modules"
                    + " (PEFT refuses it too); put the layers in the regex instead");
        }
    }

    /** A config with PEFT's defaults for everything but the rank, alpha, targets and base model. */
    public static LoraConfig of(int rank, double alpha, TargetModules targets, String baseModel) {
        return new LoraConfig(rank, alpha, targets, false, false, Map.of(), Map.of(), List.of(), baseModel);
    }

    /** The module's rank: the value of the first {@code rank_pattern} key that matches it, else {@code r}. */
    public int rankFor(String module) {
        String key = patternKey(rankPattern, module);
        return key == null ? rank : rankPattern.get(key);
    }

    /** The module's alpha: the value of the first {@code alpha_pattern} key that matches it, else alpha. */
    public double alphaFor(String module) {
        String key = patternKey(alphaPattern, module);
        return key == null ? alpha : alphaPattern.get(key);
    }

    /** The module's scale s: {@code alpha / r}, or {@code alpha / sqrt(r)} with rsLoRA, per module. */
    public double scaleFor(String module) {
        int moduleRank = rankFor(module);
        return alphaFor(module) / (useRslora ? Math.sqrt(moduleRank) : moduleRank);
    }

    /**
     * Whether the adapter adapts the module.
     *
     * @param module the full module name, such as {@code model.layers.3.self_attn.q_proj}
     * @param layer the layer index in that name ({@link #layerOf}), or -1 if it is in no layer; only read
     *     when {@code layers_to_transform} is set
     */
    public boolean targets(String module, int layer) {
        if (!targets.matches(module)) {
            return false;
        }
        if (layersToTransform.isEmpty()) {
            return true;
        }
        if (targets instanceof TargetModules.Names names && names.listsExactly(module)) {
            return true;
        }
        return layer >= 0 && layersToTransform.contains(layer);
    }

    /** The index {@code i} of a module named {@code model.layers.{i}.…}, or -1 for any other name. */
    public static int layerOf(String module) {
        var matcher = LAYER.matcher(module);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    /**
     * Reads {@code adapter_config.json}. Settings the file leaves out take PEFT's defaults; unknown
     * settings are ignored, as PEFT ignores them across versions.
     *
     * @throws AdapterException naming the file and the setting, if the file cannot be read or is not a
     *     LoRA config this project can apply: another {@code peft_type}, {@code use_dora},
     *     {@code modules_to_save}, a {@code bias} other than {@code "none"}, and the other settings that
     *     add weights or change the forward pass
     */
    public static LoraConfig read(Path adapterConfigJson) {
        Path parent = adapterConfigJson.toAbsolutePath().getParent();
        String adapter = parent == null || parent.getFileName() == null ? "?" : parent.getFileName().toString();
        return read(adapterConfigJson, adapter);
    }

    /** {@link #read(Path)} with the adapter's name for the messages. */
    static LoraConfig read(Path file, String adapter) {
        String where = "adapter '" + adapter + "' (" + file + ")";
        JsonNode root;
        try {
            root = PeftJson.MAPPER.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new AdapterException(where + ": no such file; expected the adapter's adapter_config.json", e);
        } catch (JsonProcessingException e) {
            throw new AdapterException(where + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new AdapterException(where + ": could not be read (" + e + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new AdapterException(where + ": expected a JSON object of PEFT settings");
        }
        refuseUnsupported(root, where);
        int rank = integer(root, "r", DEFAULT_RANK, where);
        double alpha = number(root, "lora_alpha", DEFAULT_ALPHA, where);
        TargetModules targets = targetModules(root, where);
        boolean useRslora = bool(root, "use_rslora", where);
        boolean fanInFanOut = bool(root, "fan_in_fan_out", where);
        Map<String, Integer> rankPattern = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : object(root, "rank_pattern", where).entrySet()) {
            JsonNode value = entry.getValue();
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                throw new AdapterException(where + ": \"rank_pattern\" maps '" + entry.getKey() + "' to " + value
                        + "; expected an integer rank");
            }
            rankPattern.put(entry.getKey(), value.intValue());
        }
        Map<String, Double> alphaPattern = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : object(root, "alpha_pattern", where).entrySet()) {
            if (!entry.getValue().isNumber()) {
                throw new AdapterException(where + ": \"alpha_pattern\" maps '" + entry.getKey() + "' to "
                        + entry.getValue() + "; expected a number");
            }
            alphaPattern.put(entry.getKey(), entry.getValue().doubleValue());
        }
        List<Integer> layers = layersToTransform(root, where);
        JsonNode base = root.get("base_model_name_or_path");
        if (base != null && !base.isNull() && !base.isTextual()) {
            throw new AdapterException(where + ": \"base_model_name_or_path\" is " + base + "; expected a string");
        }
        if (fanInFanOut) {
            log.warn("{}: fan_in_fan_out is true; it describes a Conv1D base weight and does not change how lora_A and"
                    + " lora_B are stored (PEFT sets it to false for the nn.Linear projections of Llama-style models)",
                    where);
        }
        try {
            return new LoraConfig(rank, alpha, targets, useRslora, fanInFanOut, rankPattern, alphaPattern, layers,
                    base == null || base.isNull() ? null : base.textValue());
        } catch (IllegalArgumentException e) {
            throw new AdapterException(where + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code adapter_config.json} as PEFT's {@code save_pretrained} does (keys sorted, two-space
     * indent), atomically: readers see the old file or the whole new one. The settings this record does
     * not hold are written with the values that mean "plain LoRA": {@code "peft_type": "LORA"},
     * {@code "task_type": "CAUSAL_LM"}, {@code "bias": "none"}, {@code "lora_dropout": 0.0},
     * {@code "init_lora_weights": true}, {@code "use_dora": false}, {@code "modules_to_save": null},
     * {@code "inference_mode": true}. Pattern maps keep their order. Deterministic.
     *
     * @throws AdapterException naming the file, if it cannot be written
     */
    public void write(Path adapterConfigJson) {
        try {
            PeftJson.writeAtomically(adapterConfigJson, toJson());
        } catch (IOException e) {
            throw new AdapterException(adapterConfigJson + ": could not write the adapter config (" + e + ")", e);
        }
    }

    /** The file's bytes, UTF-8 with a final newline. */
    byte[] toJson() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        SortedMap<String, JsonNode> settings = new TreeMap<>();
        ObjectNode alphas = nodes.objectNode();
        alphaPattern.forEach((key, value) -> alphas.set(key, numberNode(value)));
        settings.put("alpha_pattern", alphas);
        settings.put("base_model_name_or_path", baseModel == null ? nodes.nullNode() : nodes.textNode(baseModel));
        settings.put("bias", nodes.textNode("none"));
        settings.put("fan_in_fan_out", nodes.booleanNode(fanInFanOut));
        settings.put("inference_mode", nodes.booleanNode(true));
        settings.put("init_lora_weights", nodes.booleanNode(true));
        settings.put("layers_pattern", nodes.nullNode());
        if (layersToTransform.isEmpty()) {
            settings.put("layers_to_transform", nodes.nullNode());
        } else {
            ArrayNode layers = nodes.arrayNode();
            layersToTransform.forEach(layers::add);
            settings.put("layers_to_transform", layers);
        }
        settings.put("lora_alpha", numberNode(alpha));
        settings.put("lora_dropout", nodes.numberNode(0.0));
        settings.put("modules_to_save", nodes.nullNode());
        settings.put("peft_type", nodes.textNode("LORA"));
        settings.put("r", nodes.numberNode(rank));
        ObjectNode ranks = nodes.objectNode();
        rankPattern.forEach(ranks::put);
        settings.put("rank_pattern", ranks);
        settings.put("revision", nodes.nullNode());
        settings.put("target_modules", targetModulesNode());
        settings.put("task_type", nodes.textNode("CAUSAL_LM"));
        settings.put("use_dora", nodes.booleanNode(false));
        settings.put("use_rslora", nodes.booleanNode(useRslora));
        ObjectNode root = nodes.objectNode();
        settings.forEach(root::set);
        try {
            return (PeftJson.WRITER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new AdapterException("could not build adapter_config.json (" + e.getOriginalMessage() + ")", e);
        }
    }

    /** A list for {@link TargetModules.Names}, else the string. */
    private JsonNode targetModulesNode() {
        if (targets instanceof TargetModules.Names names) {
            ArrayNode list = JsonNodeFactory.instance.arrayNode();
            names.names().forEach(list::add);
            return list;
        }
        if (targets instanceof TargetModules.Regex regex) {
            return JsonNodeFactory.instance.textNode(regex.pattern());
        }
        return JsonNodeFactory.instance.textNode(TargetModules.ALL_LINEAR);
    }

    /** PEFT writes alphas as integers; a fractional alpha stays a float. */
    private static JsonNode numberNode(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? JsonNodeFactory.instance.numberNode((long) value)
                : JsonNodeFactory.instance.numberNode(value);
    }

    /** The first key, in order, whose regex {@code (.*\.)?(key)} matches the whole name; null if none. */
    private static String patternKey(Map<String, ?> patterns, String module) {
        for (String key : patterns.keySet()) {
            if (Pattern.compile("(.*\\.)?(" + key + ")").matcher(module).matches()) {
                return key;
            }
        }
        return null;
    }

    private static <V> Map<String, V> orderedCopy(Map<String, V> map, String setting) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        Map<String, V> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            Objects.requireNonNull(key, setting + " key");
            Objects.requireNonNull(value, setting + " value");
            try {
                Pattern.compile("(.*\\.)?(" + key + ")");
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(setting + " key '" + key + "' is not a valid regular expression: "
                        + e.getDescription(), e);
            }
            copy.put(key, value);
        });
        return Collections.unmodifiableMap(copy);
    }

    /** Refuses the settings that add weights or behaviour the runtime does not apply, naming each. */
    private static void refuseUnsupported(JsonNode root, String where) {
        JsonNode type = root.get("peft_type");
        if (type != null && !type.isNull() && !"LORA".equals(type.asText())) {
            throw new AdapterException(where + ": \"peft_type\" is " + type + "; only \"LORA\" adapters are supported");
        }
        if (isTrue(root, "use_dora")) {
            throw new AdapterException(where + ": \"use_dora\" is true; DoRA adapters are not supported (they add a"
                    + " magnitude vector and a weight normalisation the runtime does not apply). Retrain with"
                    + " use_dora=False, or merge the adapter into the base model with PEFT");
        }
        if (isPresent(root, "modules_to_save")) {
            throw new AdapterException(where + ": \"modules_to_save\" is " + root.get("modules_to_save")
                    + "; adapters that carry full copies of base modules are not supported. Retrain without"
                    + " modules_to_save (expected null or [])");
        }
        JsonNode bias = root.get("bias");
        if (bias != null && !bias.isNull() && !"none".equals(bias.asText())) {
            throw new AdapterException(where + ": \"bias\" is " + bias + "; the adapter then also changes the base"
                    + " model's biases, which the runtime does not apply; expected \"none\"");
        }
        if (isTrue(root, "lora_bias")) {
            throw new AdapterException(where + ": \"lora_bias\" is true; a bias on lora_B is not supported."
                    + " Expected false");
        }
        for (String setting : List.of("exclude_modules", "target_parameters", "trainable_token_indices",
                "layer_replication", "alora_invocation_tokens")) {
            if (isPresent(root, setting)) {
                throw new AdapterException(where + ": \"" + setting + "\" is " + root.get(setting)
                        + "; this setting is not supported. Expected it absent or null");
            }
        }
        if (isTrue(root, "use_qalora")) {
            throw new AdapterException(where + ": \"use_qalora\" is true; QA-LoRA adapters are not supported");
        }
        JsonNode layersPattern = root.get("layers_pattern");
        if (isPresent(root, "layers_pattern") && !layersPattern.equals(JsonNodeFactory.instance.textNode("layers"))
                && !(layersPattern.isArray() && layersPattern.size() == 1 && "layers".equals(layersPattern.get(0).asText()))) {
            throw new AdapterException(where + ": \"layers_pattern\" is " + layersPattern + "; the runtime's layers"
                    + " are model.layers.{i}, so expected null or \"layers\"");
        }
        JsonNode initialisation = root.get("init_lora_weights");
        if (initialisation != null && initialisation.isTextual()) {
            String method = initialisation.textValue().toLowerCase(Locale.ROOT);
            for (String altering : BASE_ALTERING_INITIALISATIONS) {
                if (method.startsWith(altering)) {
                    throw new AdapterException(where + ": \"init_lora_weights\" is " + initialisation + "; such an"
                            + " adapter only works on the base model as its initialisation altered it. Convert it to a"
                            + " plain LoRA adapter with PEFT: save_pretrained(dir,"
                            + " path_initial_model_for_weight_conversion=...)");
                }
            }
        }
    }

    /** Present and not null, an empty list or an empty object. */
    private static boolean isPresent(JsonNode root, String setting) {
        JsonNode value = root.get(setting);
        return value != null && !value.isNull() && !((value.isArray() || value.isObject()) && value.isEmpty());
    }

    private static boolean isTrue(JsonNode root, String setting) {
        JsonNode value = root.get(setting);
        return value != null && value.isBoolean() && value.booleanValue();
    }

    private static int integer(JsonNode root, String setting, int fallback, String where) {
        JsonNode value = root.get(setting);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new AdapterException(where + ": \"" + setting + "\" is " + value + "; expected an integer");
        }
        return value.intValue();
    }

    private static double number(JsonNode root, String setting, double fallback, String where) {
        JsonNode value = root.get(setting);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw new AdapterException(where + ": \"" + setting + "\" is " + value + "; expected a number");
        }
        return value.doubleValue();
    }

    private static boolean bool(JsonNode root, String setting, String where) {
        JsonNode value = root.get(setting);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new AdapterException(where + ": \"" + setting + "\" is " + value + "; expected true or false");
        }
        return value.booleanValue();
    }

    private static Map<String, JsonNode> object(JsonNode root, String setting, String where) {
        JsonNode value = root.get(setting);
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw new AdapterException(where + ": \"" + setting + "\" is " + value + "; expected an object");
        }
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        value.properties().forEach(entry -> entries.put(entry.getKey(), entry.getValue()));
        return entries;
    }

    private static TargetModules targetModules(JsonNode root, String where) {
        JsonNode value = root.get("target_modules");
        try {
            if (value == null || value.isNull()) {
                throw new AdapterException(where + ": \"target_modules\" is missing; expected a list of module names,"
                        + " a regex string or \"all-linear\"");
            }
            if (value.isTextual()) {
                return value.textValue().toLowerCase(Locale.ROOT).equals(TargetModules.ALL_LINEAR)
                        ? TargetModules.allLinear()
                        : TargetModules.regex(value.textValue());
            }
            if (value.isArray() && !value.isEmpty()) {
                List<String> names = new ArrayList<>();
                for (JsonNode name : value) {
                    if (!name.isTextual()) {
                        throw new AdapterException(where + ": \"target_modules\" holds " + name
                                + "; expected module names (strings)");
                    }
                    names.add(name.textValue());
                }
                return new TargetModules.Names(names);
            }
        } catch (IllegalArgumentException e) {
            throw new AdapterException(where + ": " + e.getMessage(), e);
        }
        throw new AdapterException(where + ": \"target_modules\" is " + value
                + "; expected a non-empty list of module names, a regex string or \"all-linear\"");
    }

    private static List<Integer> layersToTransform(JsonNode root, String where) {
        JsonNode value = root.get("layers_to_transform");
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return List.of(value.intValue());
        }
        if (value.isArray()) {
            List<Integer> layers = new ArrayList<>();
            for (JsonNode layer : value) {
                if (!layer.isIntegralNumber() || !layer.canConvertToInt()) {
                    throw new AdapterException(where + ": \"layers_to_transform\" holds " + layer
                            + "; expected layer indexes");
                }
                layers.add(layer.intValue());
            }
            return layers;
        }
        throw new AdapterException(where + ": \"layers_to_transform\" is " + value
                + "; expected a layer index or a list of them");
    }
}
