// Model directories that cannot be used: each is refused with an exception naming the file and the key.
package io.synod.solvers.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.synod.adapters.safetensors.Checkpoint;
import io.synod.adapters.safetensors.DType;
import io.synod.adapters.safetensors.SafetensorsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each test starts from a valid one-file model (which {@link #theUncorruptedModelLoads} shows loads), breaks
 * one thing, and expects {@link LanguageModel#load} to throw, not to crash the JVM or load something wrong.
 */
class BadModelDirectoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ModelConfig CONFIG = TinyModels.llama();

    @TempDir Path directory;
    Path weights;
    Path config;
    Path tokenizer;

    @BeforeEach
    void writeValidModel() throws IOException {
        TinyModels.writeRandom(directory, CONFIG, 41, DType.F32, false);
        weights = directory.resolve(Checkpoint.SINGLE_FILE);
        config = directory.resolve("config.json");
        tokenizer = directory.resolve("tokenizer.json");
    }

    @Test
    void theUncorruptedModelLoads() {
        try (LanguageModel model = LanguageModel.load(directory, TinyModels.CPU)) {
            assertThat(model.config().vocabularySize()).isEqualTo(CONFIG.vocabularySize());
        }
    }

    @Test
    void aMissingTensorIsNamedWithItsCheckpoint() {
        Map<String, TinyModels.Tensor> tensors = TinyModels.randomTensors(CONFIG, 41);
        tensors.remove("model.layers.1.mlp.up_proj.weight");
        TinyModels.writerOf(tensors, DType.F32).write(weights);
        assertLoadFails()
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(directory.toString())
                .hasMessageContaining("model.layers.1.mlp.up_proj.weight")
                .hasMessageContaining("missing");
    }

    @Test
    void aShapeThatDisagreesWithConfigJsonNamesTheFileAndTheKey() throws IOException {
        editConfig(root -> root.put("intermediate_size", 96));
        assertLoadFails()
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(weights.toString())
                .hasMessageContaining("model.layers.0.mlp.gate_proj.weight")
                .hasMessageContaining("[128, 64]")
                .hasMessageContaining("[96, 64]");
    }

    @Test
    void anUnknownArchitectureIsRefusedNamingModelType() throws IOException {
        editConfig(root -> root.put("model_type", "gpt2"));
        assertLoadFails()
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(config.toString())
                .hasMessageContaining("model_type")
                .hasMessageContaining("gpt2");
    }

    @Test
    void anUnknownDtypeInTheSafetensorsHeaderNamesTheFileAndTheKey() throws IOException {
        editHeader(header -> ((ObjectNode) header.get("model.norm.weight")).put("dtype", "F8_E4M3"));
        assertLoadFails()
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining(weights.toString())
                .hasMessageContaining("model.norm.weight")
                .hasMessageContaining("F8_E4M3");
    }

    @Test
    void aTensorOfAnIntegerDtypeNamesTheFileAndTheKey() throws IOException {
        editHeader(header -> ((ObjectNode) header.get("model.norm.weight")).put("dtype", "I32"));
        assertLoadFails()
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(weights.toString())
                .hasMessageContaining("model.norm.weight")
                .hasMessageContaining("I32");
    }

    @Test
    void aTruncatedSafetensorsFileNamesTheFileAndTheKey() throws IOException {
        // tensors lie in name order, so the last 100 bytes belong to model.norm.weight (64 floats)
        try (FileChannel channel = FileChannel.open(weights, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 100);
        }
        assertLoadFails()
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining(weights.toString())
                .hasMessageContaining("model.norm.weight")
                .hasMessageContaining("truncated");
    }

    @Test
    void aCorruptedHeaderNamesTheFile() throws IOException {
        byte[] bytes = Files.readAllBytes(weights);
        Arrays.fill(bytes, 8 + 20, 8 + 40, (byte) '#');
        Files.write(weights, bytes);
        assertLoadFails()
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining(weights.toString())
                .hasMessageContaining("header");
    }

    @Test
    void aTokenizerWithIdsBeyondVocabSizeNamesTheTokenizerAndVocabSize() throws IOException {
        editConfig(root -> root.put("vocab_size", 200));
        assertLoadFails()
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(tokenizer.toString())
                .hasMessageContaining("vocab_size")
                .hasMessageContaining(String.valueOf(ByteLevelTokenizer.END_OF_SEQUENCE));
    }

    @Test
    void aConfigWithoutHiddenSizeNamesTheKey() throws IOException {
        editConfig(root -> root.remove("hidden_size"));
        assertLoadFails()
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(config.toString())
                .hasMessageContaining("hidden_size")
                .hasMessageContaining("missing");
    }

    @Test
    void aMissingTokenizerJsonIsNamed() throws IOException {
        Files.delete(tokenizer);
        assertLoadFails()
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(tokenizer.toString())
                .hasMessageContaining("missing");
    }

    @Test
    void aPickledPytorchModelBinAloneIsRefused() throws IOException {
        Files.delete(weights);
        // the start of a pickle (protocol 2); it must never be read, let alone unpickled
        Files.write(directory.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 0x02, '}', 'q', 0, '.'});
        assertLoadFails()
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining(directory.toString())
                .hasMessageContaining("pytorch_model.bin")
                .hasMessageContaining("pickled");
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertLoadFails() {
        return assertThatThrownBy(() -> LanguageModel.load(directory, TinyModels.CPU).close());
    }

    private void editConfig(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(config.toFile());
        edit.accept(root);
        JSON.writeValue(config.toFile(), root);
    }

    /** Rewrites the JSON header of model.safetensors (padded to 8 bytes as writers do), keeping the data. */
    private void editHeader(Consumer<ObjectNode> edit) throws IOException {
        byte[] file = Files.readAllBytes(weights);
        int headerLength = (int) ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ObjectNode header = (ObjectNode) JSON.readTree(new String(file, 8, headerLength, StandardCharsets.UTF_8));
        edit.accept(header);
        byte[] json = JSON.writeValueAsBytes(header);
        byte[] padded = Arrays.copyOf(json, (json.length + 7) & ~7);
        Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        ByteBuffer rewritten = ByteBuffer.allocate(8 + padded.length + file.length - 8 - headerLength)
                .order(ByteOrder.LITTLE_ENDIAN);
        rewritten.putLong(padded.length).put(padded).put(file, 8 + headerLength, file.length - 8 - headerLength);
        Files.write(weights, rewritten.array());
    }
}
