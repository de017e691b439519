// The architecture hyper-parameters of a Llama-family model, read from (and written to) HuggingFace config.json.
package io.synod.solvers.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Hyper-parameters of a decoder-only transformer of the Llama family (RMSNorm, rotary positions,
 * grouped-query attention, SwiGLU), which covers Llama 1–3, Mistral and Qwen2 (with q/k/v biases).
 *
 * @param architecture          the family, which fixes key names and biases
 * @param vocabularySize        rows of the embedding and of the output head
 * @param hiddenSize            width of the residual stream
 * @param intermediateSize      width of the SwiGLU feed-forward layer
 * @param layers                transformer blocks
 * @param attentionHeads        query heads
 * @param keyValueHeads         key/value heads (grouped-query attention when fewer than query heads)
 * @param headDimension         width of one head
 * @param rmsNormEpsilon        epsilon of every RMSNorm
 * @param ropeTheta             base of the rotary frequencies
 * @param ropeScaling           llama3-style frequency scaling, or null
 * @param maxPositionEmbeddings longest sequence the positions are defined for
 * @param tieWordEmbeddings     whether the output head reuses the embedding matrix
 * @param attentionBias         whether q/k/v projections carry biases (Qwen2)
 * @param torchDtype            the dtype the checkpoint declares ("float32", "bfloat16", "float16")
 * @param bosTokenId            beginning-of-sequence token, or -1
 * @param eosTokenId            end-of-sequence token, or -1
 * @param slidingWindow         Mistral's attention window, or 0 for none (the runtime caps its context there)
 */
public record ModelConfig(
        Architecture architecture,
        int vocabularySize,
        int hiddenSize,
        int intermediateSize,
        int layers,
        int attentionHeads,
        int keyValueHeads,
        int headDimension,
        double rmsNormEpsilon,
        double ropeTheta,
        RopeScaling ropeScaling,
        int maxPositionEmbeddings,
        boolean tieWordEmbeddings,
        boolean attentionBias,
        String torchDtype,
        int bosTokenId,
        int eosTokenId,
        int slidingWindow) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The model families this runtime knows; each fixes its HuggingFace names. */
    public enum Architecture {
        LLAMA("llama", "LlamaForCausalLM"),
        MISTRAL("mistral", "MistralForCausalLM"),
        QWEN2("qwen2", "Qwen2ForCausalLM");

        private final String modelType;
        private final String className;

        Architecture(String modelType, String className) {
            this.modelType = modelType;
            this.className = className;
        }

        public String modelType() {
            return modelType;
        }

        public String className() {
            return className;
        }

        static Architecture fromModelType(String modelType, Path file) {
            for (Architecture architecture : values()) {
                if (architecture.modelType.equals(modelType)) {
                    return architecture;
                }
            }
            throw new ModelFormatException(file, "model_type",
                    "unknown architecture '" + modelType + "'; expected one of llama, mistral, qwen2");
        }
    }

    /** Llama 3's rotary frequency scaling ("rope_type": "llama3"). */
    public record RopeScaling(double factor, double lowFrequencyFactor, double highFrequencyFactor,
                              int originalMaxPositionEmbeddings) {
        public RopeScaling {
            if (factor <= 0 || lowFrequencyFactor <= 0 || highFrequencyFactor <= lowFrequencyFactor
                    || originalMaxPositionEmbeddings <= 0) {
                throw new IllegalArgumentException("rope_scaling needs factor > 0, 0 < low_freq_factor < high_freq_factor"
                        + " and original_max_position_embeddings > 0");
            }
        }
    }

    public ModelConfig {
        require(vocabularySize > 0, "vocab_size must be positive");
        require(hiddenSize > 0, "hidden_size must be positive");
        require(intermediateSize > 0, "intermediate_size must be positive");
        require(layers > 0, "num_hidden_layers must be positive");
        require(attentionHeads > 0, "num_attention_heads must be positive");
        require(keyValueHeads > 0 && attentionHeads % keyValueHeads == 0,
                "num_key_value_heads must divide num_attention_heads (" + attentionHeads + "), got " + keyValueHeads);
        require(headDimension > 0 && headDimension % 2 == 0, "head_dim must be positive and even, got " + headDimension);
        require(rmsNormEpsilon > 0, "rms_norm_eps must be positive");
        require(ropeTheta > 0, "rope_theta must be positive");
        require(maxPositionEmbeddings > 0, "max_position_embeddings must be positive");
        require(slidingWindow >= 0, "sliding_window must not be negative");
    }

    /** A configuration without a sliding window. */
    public ModelConfig(Architecture architecture, int vocabularySize, int hiddenSize, int intermediateSize, int layers,
                       int attentionHeads, int keyValueHeads, int headDimension, double rmsNormEpsilon, double ropeTheta,
                       RopeScaling ropeScaling, int maxPositionEmbeddings, boolean tieWordEmbeddings, boolean attentionBias,
                       String torchDtype, int bosTokenId, int eosTokenId) {
        this(architecture, vocabularySize, hiddenSize, intermediateSize, layers, attentionHeads, keyValueHeads,
                headDimension, rmsNormEpsilon, ropeTheta, ropeScaling, maxPositionEmbeddings, tieWordEmbeddings,
                attentionBias, torchDtype, bosTokenId, eosTokenId, 0);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Query heads that share one key/value head. */
    public int queriesPerKeyValue() {
        return attentionHeads / keyValueHeads;
    }

    /** Parameters of the model, counting a tied head once. */
    public long parameterCount() {
        long attention = (long) hiddenSize * headDimension * (attentionHeads * 2L + keyValueHeads * 2L);
        if (attentionBias) {
            attention += (long) headDimension * (attentionHeads + 2L * keyValueHeads);
        }
        long feedForward = 3L * hiddenSize * intermediateSize;
        long perLayer = attention + feedForward + 2L * hiddenSize;
        long embedding = (long) vocabularySize * hiddenSize;
        return layers * perLayer + embedding * (tieWordEmbeddings ? 1 : 2) + hiddenSize;
    }

    /** Reads a HuggingFace config.json; errors name the file and the key. */
    public static ModelConfig read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ModelFormatException(file, null, "cannot be read as JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(file, null, "expected a JSON object");
        }
        Architecture architecture = Architecture.fromModelType(text(root, "model_type", file), file);
        int hidden = integer(root, "hidden_size", file);
        int heads = integer(root, "num_attention_heads", file);
        int headDimension = root.hasNonNull("head_dim") ? integer(root, "head_dim", file) : hidden / heads;
        if (architecture != Architecture.QWEN2 && root.path("attention_bias").asBoolean(false)) {
            throw new ModelFormatException(file, "attention_bias",
                    "true (biases on q/k/v/o projections) is not supported for " + architecture.modelType());
        }
        if (root.path("mlp_bias").asBoolean(false)) {
            throw new ModelFormatException(file, "mlp_bias", "true (biases on the feed-forward projections) is not supported");
        }
        RopeScaling scaling = null;
        JsonNode ropeScaling = root.get("rope_scaling");
        if (ropeScaling != null && !ropeScaling.isNull()) {
            String type = ropeScaling.hasNonNull("rope_type") ? ropeScaling.get("rope_type").asText()
                    : ropeScaling.path("type").asText("");
            if (!type.equals("llama3") && !type.equals("default")) {
                throw new ModelFormatException(file, "rope_scaling.rope_type",
                        "unsupported rope scaling '" + type + "'; expected llama3 or default");
            }
            if (type.equals("llama3")) {
                scaling = new RopeScaling(
                        number(ropeScaling, "factor", file, Double.NaN),
                        number(ropeScaling, "low_freq_factor", file, Double.NaN),
                        number(ropeScaling, "high_freq_factor", file, Double.NaN),
                        (int) number(ropeScaling, "original_max_position_embeddings", file, Double.NaN));
            }
        }
        try {
            return new ModelConfig(
                    architecture,
                    integer(root, "vocab_size", file),
                    hidden,
                    integer(root, "intermediate_size", file),
                    integer(root, "num_hidden_layers", file),
                    heads,
                    root.hasNonNull("num_key_value_heads") ? integer(root, "num_key_value_heads", file) : heads,
                    headDimension,
                    number(root, "rms_norm_eps", file, 1e-6),
                    number(root, "rope_theta", file, 10000.0),
                    scaling,
                    (int) number(root, "max_position_embeddings", file, 2048),
                    root.path("tie_word_embeddings").asBoolean(false),
                    root.has("attention_bias") ? root.get("attention_bias").asBoolean()
                            : architecture == Architecture.QWEN2,
                    root.path("torch_dtype").asText(root.path("dtype").asText("float32")),
                    firstTokenId(root.get("bos_token_id")),
                    firstTokenId(root.get("eos_token_id")),
                    root.path("sliding_window").isInt() ? root.get("sliding_window").asInt() : 0);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, null, e.getMessage());
        }
    }

    /** Writes this configuration as a HuggingFace config.json. */
    public void write(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("architectures").add(architecture.className());
        root.put("model_type", architecture.modelType());
        root.put("vocab_size", vocabularySize);
        root.put("hidden_size", hiddenSize);
        root.put("intermediate_size", intermediateSize);
        root.put("num_hidden_layers", layers);
        root.put("num_attention_heads", attentionHeads);
        root.put("num_key_value_heads", keyValueHeads);
        root.put("head_dim", headDimension);
        root.put("hidden_act", "silu");
        root.put("rms_norm_eps", rmsNormEpsilon);
        root.put("rope_theta", ropeTheta);
        if (ropeScaling != null) {
            ObjectNode scaling = root.putObject("rope_scaling");
            scaling.put("rope_type", "llama3");
            scaling.put("factor", ropeScaling.factor());
            scaling.put("low_freq_factor", ropeScaling.lowFrequencyFactor());
            scaling.put("high_freq_factor", ropeScaling.highFrequencyFactor());
            scaling.put("original_max_position_embeddings", ropeScaling.originalMaxPositionEmbeddings());
        }
        root.put("max_position_embeddings", maxPositionEmbeddings);
        root.put("tie_word_embeddings", tieWordEmbeddings);
        if (architecture != Architecture.QWEN2) {
            root.put("attention_bias", attentionBias);
        }
        root.put("torch_dtype", torchDtype);
        if (bosTokenId >= 0) {
            root.put("bos_token_id", bosTokenId);
        }
        if (eosTokenId >= 0) {
            root.put("eos_token_id", eosTokenId);
        }
        if (slidingWindow > 0) {
            root.put("sliding_window", slidingWindow);
        }
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    }

    /** A copy with another on-disk dtype name. */
    public ModelConfig withTorchDtype(String dtype) {
        return new ModelConfig(architecture, vocabularySize, hiddenSize, intermediateSize, layers, attentionHeads,
                keyValueHeads, headDimension, rmsNormEpsilon, ropeTheta, ropeScaling, maxPositionEmbeddings,
                tieWordEmbeddings, attentionBias, dtype, bosTokenId, eosTokenId, slidingWindow);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %,d parameters, %d layers, hidden %d, %d heads (%d kv), ffn %d, vocab %d",
                architecture.modelType(), parameterCount(), layers, hiddenSize, attentionHeads, keyValueHeads,
                intermediateSize, vocabularySize);
    }

    private static String text(JsonNode node, String key, Path file) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            throw new ModelFormatException(file, key, "is missing");
        }
        return value.asText();
    }

    private static int integer(JsonNode node, String key, Path file) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            throw new ModelFormatException(file, key, "is missing; expected an integer");
        }
        if (!value.canConvertToInt()) {
            throw new ModelFormatException(file, key, "expected an integer, got " + value);
        }
        return value.asInt();
    }

    private static double number(JsonNode node, String key, Path file, double fallback) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (!Double.isNaN(fallback)) {
                return fallback;
            }
            throw new ModelFormatException(file, key, "is missing; expected a number");
        }
        if (!value.isNumber()) {
            throw new ModelFormatException(file, key, "expected a number, got " + value);
        }
        return value.asDouble();
    }

    private static int firstTokenId(JsonNode value) {
        if (value == null || value.isNull()) {
            return -1;
        }
        return value.isArray() ? (value.isEmpty() ? -1 : value.get(0).asInt()) : value.asInt();
    }
}
