// The resident weights of a Llama-family model: read from HuggingFace key names, checked against the
// configuration, and fused (q/k/v, gate/up) for fewer, larger matrix products.
package io.synod.solvers.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.synod.adapters.safetensors.Checkpoint;
import io.synod.adapters.safetensors.DType;
import io.synod.adapters.safetensors.SafetensorsWriter;
import io.synod.adapters.safetensors.TensorInfo;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weights of one model, all owned by the model's manager. Linear weights keep PyTorch's [out, in]
 * layout, so {@code linear(x, w)} computes {@code x w^T} without a transposed copy.
 */
public final class TransformerWeights {

    /** One transformer block. Biases are null for architectures without them. */
    public record Layer(
            NDArray attentionNorm,     // [hidden]
            NDArray queryKeyValue,     // [(heads + 2 kvHeads) * headDim, hidden]
            NDArray queryKeyValueBias, // [(heads + 2 kvHeads) * headDim] or null
            NDArray output,            // [hidden, heads * headDim]
            NDArray feedForwardNorm,   // [hidden]
            NDArray gateUp,            // [2 * intermediate, hidden]
            NDArray down) {            // [hidden, intermediate]
    }

    private final ModelConfig config;
    private final NDArray embedding;   // [vocab, hidden]
    private final List<Layer> layers;
    private final NDArray finalNorm;   // [hidden]
    private final NDArray head;        // [vocab, hidden]; the embedding itself when tied

    TransformerWeights(ModelConfig config, NDArray embedding, List<Layer> layers, NDArray finalNorm, NDArray head) {
        this.config = config;
        this.embedding = embedding;
        this.layers = List.copyOf(layers);
        this.finalNorm = finalNorm;
        this.head = head;
    }

    public ModelConfig config() {
        return config;
    }

    public NDArray embedding() {
        return embedding;
    }

    public List<Layer> layers() {
        return layers;
    }

    public NDArray finalNorm() {
        return finalNorm;
    }

    public NDArray head() {
        return head;
    }

    /** Every trainable array, each once (a tied head is the embedding). */
    public NDList parameters() {
        NDList parameters = new NDList(embedding);
        for (Layer layer : layers) {
            parameters.add(layer.attentionNorm());
            parameters.add(layer.queryKeyValue());
            if (layer.queryKeyValueBias() != null) {
                parameters.add(layer.queryKeyValueBias());
            }
            parameters.add(layer.output());
            parameters.add(layer.feedForwardNorm());
            parameters.add(layer.gateUp());
            parameters.add(layer.down());
        }
        parameters.add(finalNorm);
        if (head != embedding) {
            parameters.add(head);
        }
        return parameters;
    }

    /**
     * Reads every tensor the configuration needs, checks its shape, and converts it to {@code dataType}
     * on {@code device}. Errors name the checkpoint file and the key.
     */
    public static TransformerWeights load(Checkpoint checkpoint, ModelConfig config, NDManager manager, DataType dataType) {
        Reader reader = new Reader(checkpoint, manager, dataType);
        int hidden = config.hiddenSize();
        int headDim = config.headDimension();
        int queryWidth = config.attentionHeads() * headDim;
        int keyValueWidth = config.keyValueHeads() * headDim;
        NDArray embedding = reader.read("model.embed_tokens.weight", config.vocabularySize(), hidden);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < config.layers(); i++) {
            String prefix = "model.layers." + i + ".";
            NDArray query = reader.read(prefix + "self_attn.q_proj.weight", queryWidth, hidden);
            NDArray key = reader.read(prefix + "self_attn.k_proj.weight", keyValueWidth, hidden);
            NDArray value = reader.read(prefix + "self_attn.v_proj.weight", keyValueWidth, hidden);
            NDArray bias = null;
            if (config.attentionBias()) {
                bias = reader.fuse(new NDList(
                        reader.read(prefix + "self_attn.q_proj.bias", queryWidth),
                        reader.read(prefix + "self_attn.k_proj.bias", keyValueWidth),
                        reader.read(prefix + "self_attn.v_proj.bias", keyValueWidth)));
            }
            NDArray gate = reader.read(prefix + "mlp.gate_proj.weight", config.intermediateSize(), hidden);
            NDArray up = reader.read(prefix + "mlp.up_proj.weight", config.intermediateSize(), hidden);
            layers.add(new Layer(
                    reader.read(prefix + "input_layernorm.weight", hidden),
                    reader.fuse(new NDList(query, key, value)),
                    bias,
                    reader.read(prefix + "self_attn.o_proj.weight", hidden, queryWidth),
                    reader.read(prefix + "post_attention_layernorm.weight", hidden),
                    reader.fuse(new NDList(gate, up)),
                    reader.read(prefix + "mlp.down_proj.weight", hidden, config.intermediateSize())));
        }
        NDArray finalNorm = reader.read("model.norm.weight", hidden);
        NDArray head;
        if (config.tieWordEmbeddings()) {
            head = embedding;
        } else {
            head = reader.read("lm_head.weight", config.vocabularySize(), hidden);
        }
        return new TransformerWeights(config, embedding, layers, finalNorm, head);
    }

    /** Random weights (normal with the given deviation, norms at one), for training from scratch and tests. */
    public static TransformerWeights random(ModelConfig config, NDManager manager, long seed, float deviation) {
        int hidden = config.hiddenSize();
        int headDim = config.headDimension();
        int fusedWidth = (config.attentionHeads() + 2 * config.keyValueHeads()) * headDim;
        manager.getEngine().setRandomSeed((int) seed);
        NDArray embedding = manager.randomNormal(0, deviation, new Shape(config.vocabularySize(), hidden), DataType.FLOAT32);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < config.layers(); i++) {
            layers.add(new Layer(
                    manager.ones(new Shape(hidden)),
                    manager.randomNormal(0, deviation, new Shape(fusedWidth, hidden), DataType.FLOAT32),
                    config.attentionBias() ? manager.zeros(new Shape(fusedWidth)) : null,
                    manager.randomNormal(0, deviation, new Shape(hidden, config.attentionHeads() * headDim), DataType.FLOAT32),
                    manager.ones(new Shape(hidden)),
                    manager.randomNormal(0, deviation, new Shape(2L * config.intermediateSize(), hidden), DataType.FLOAT32),
                    manager.randomNormal(0, deviation, new Shape(hidden, config.intermediateSize()), DataType.FLOAT32)));
        }
        NDArray head = config.tieWordEmbeddings() ? embedding
                : manager.randomNormal(0, deviation, new Shape(config.vocabularySize(), hidden), DataType.FLOAT32);
        return new TransformerWeights(config, embedding, layers, manager.ones(new Shape(hidden)), head);
    }

    /** Writes the weights under HuggingFace key names, split back from the fused matrices. */
    public void write(Path file, DType storeAs) {
        int headDim = config.headDimension();
        long queryWidth = (long) config.attentionHeads() * headDim;
        long keyValueWidth = (long) config.keyValueHeads() * headDim;
        long[] qkvSplit = {queryWidth, queryWidth + keyValueWidth};
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("model.embed_tokens.weight", embedding);
        try (NDManager scratch = embedding.getManager().newSubManager()) {
            for (int i = 0; i < layers.size(); i++) {
                Layer layer = layers.get(i);
                String prefix = "model.layers." + i + ".";
                tensors.put(prefix + "input_layernorm.weight", layer.attentionNorm());
                NDList qkv = split(scratch, layer.queryKeyValue(), qkvSplit);
                tensors.put(prefix + "self_attn.q_proj.weight", qkv.get(0));
                tensors.put(prefix + "self_attn.k_proj.weight", qkv.get(1));
                tensors.put(prefix + "self_attn.v_proj.weight", qkv.get(2));
                if (layer.queryKeyValueBias() != null) {
                    NDList bias = split(scratch, layer.queryKeyValueBias(), qkvSplit);
                    tensors.put(prefix + "self_attn.q_proj.bias", bias.get(0));
                    tensors.put(prefix + "self_attn.k_proj.bias", bias.get(1));
                    tensors.put(prefix + "self_attn.v_proj.bias", bias.get(2));
                }
                tensors.put(prefix + "self_attn.o_proj.weight", layer.output());
                tensors.put(prefix + "post_attention_layernorm.weight", layer.feedForwardNorm());
                NDList gateUp = split(scratch, layer.gateUp(), new long[] {config.intermediateSize()});
                tensors.put(prefix + "mlp.gate_proj.weight", gateUp.get(0));
                tensors.put(prefix + "mlp.up_proj.weight", gateUp.get(1));
                tensors.put(prefix + "mlp.down_proj.weight", layer.down());
            }
            tensors.put("model.norm.weight", finalNorm);
            if (!config.tieWordEmbeddings()) {
                tensors.put("lm_head.weight", head);
            }
            SafetensorsWriter writer = SafetensorsWriter.create().metadata("format", "pt");
            for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
                NDArray array = entry.getValue();
                writer.putFloats(entry.getKey(), array.getShape().getShape(),
                        array.toType(DataType.FLOAT32, false).toDevice(Device.cpu(), false).toFloatArray(), storeAs);
            }
            writer.write(file);
        }
    }

    private static NDList split(NDManager scratch, NDArray fused, long[] indices) {
        NDArray copy = fused.duplicate();
        copy.attach(scratch);
        return copy.split(indices, 0);
    }

    /** Reads tensors from a checkpoint with shape checks; converts to the compute type. */
    private static final class Reader {
        private final Checkpoint checkpoint;
        private final NDManager manager;
        private final DataType dataType;

        Reader(Checkpoint checkpoint, NDManager manager, DataType dataType) {
            this.checkpoint = checkpoint;
            this.manager = manager;
            this.dataType = dataType;
        }

        NDArray read(String key, long... expectedShape) {
            if (!checkpoint.names().contains(key)) {
                throw new ModelFormatException(checkpoint.directory(), key,
                        "the tensor is missing from the checkpoint (expected shape " + Arrays.toString(expectedShape) + ")");
            }
            TensorInfo info = checkpoint.info(key);
            if (!Arrays.equals(info.shape(), expectedShape)) {
                throw new ModelFormatException(checkpoint.fileOf(key), key, "has shape " + Arrays.toString(info.shape())
                        + " but config.json implies " + Arrays.toString(expectedShape));
            }
            // DJL's PyTorch JNI maps only the first nine DataTypes to torch types and aborts the JVM (a bare
            // "throw;" in GetScalarTypeFromDType) on BFLOAT16, so bf16 is widened to float32 here, exactly.
            NDArray array = switch (info.dtype()) {
                case F32 -> manager.create(checkpoint.bytes(key).order(ByteOrder.LITTLE_ENDIAN),
                        new Shape(expectedShape), DataType.FLOAT32);
                case F16 -> manager.create(checkpoint.bytes(key).order(ByteOrder.LITTLE_ENDIAN),
                        new Shape(expectedShape), DataType.FLOAT16);
                case BF16 -> manager.create(checkpoint.floats(key), new Shape(expectedShape));
                default -> throw new ModelFormatException(checkpoint.fileOf(key), key,
                        "has dtype " + info.dtype() + "; expected F32, F16 or BF16");
            };
            // Arrays made from a direct buffer point into the read-only memory map; copy them so the model
            // owns writable memory (merging an adapter writes in place) that outlives the checkpoint.
            NDArray owned = array.getDataType() != dataType ? array.toType(dataType, true) : array.duplicate();
            array.close();
            return owned;
        }

        NDArray fuse(NDList parts) {
            NDArray fused = NDArrays.concat(parts, 0);
            parts.close();
            return fused;
        }
    }
}
