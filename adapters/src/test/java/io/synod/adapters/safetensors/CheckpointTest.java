// Opens model directories: a single file, shards with an index, and directories that must be refused.
package io.synod.adapters.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    private static final String FIRST_SHARD = "model-00001-of-00002.safetensors";
    private static final String SECOND_SHARD = "model-00002-of-00002.safetensors";

    @TempDir
    Path directory;

    @Test
    void aSingleFileCheckpointListsItsTensorsSorted() {
        SafetensorsWriter.create().metadata("format", "pt")
                .putFloats("model.norm.weight", new long[] {2}, new float[] {1, 2}, DType.F32)
                .putFloats("lm_head.weight", new long[] {1, 2}, new float[] {3, 4}, DType.BF16)
                .write(directory.resolve(Checkpoint.SINGLE_FILE));
        try (Checkpoint checkpoint = Checkpoint.open(directory)) {
            assertThat(checkpoint.names()).containsExactly("lm_head.weight", "model.norm.weight");
            assertThat(checkpoint.floats("lm_head.weight")).containsExactly(3, 4);
            assertThat(checkpoint.info("model.norm.weight").dtype()).isEqualTo(DType.F32);
            assertThat(checkpoint.fileOf("model.norm.weight")).isEqualTo(directory.resolve(Checkpoint.SINGLE_FILE));
            assertThat(checkpoint.metadata()).containsEntry("format", "pt");
        }
    }

    @Test
    void aShardedCheckpointIsReadThroughAHandWrittenIndex() throws IOException {
        writeTwoShards();
        Files.writeString(directory.resolve(Checkpoint.INDEX_FILE), """
                {
                  "metadata": {"total_size": 24},
                  "weight_map": {
                    "model.embed_tokens.weight": "model-00001-of-00002.safetensors",
                    "model.layers.0.mlp.up_proj.weight": "model-00001-of-00002.safetensors",
                    "lm_head.weight": "model-00002-of-00002.safetensors"
                  }
                }
                """);
        try (Checkpoint checkpoint = Checkpoint.open(directory)) {
            assertThat(checkpoint.names()).containsExactly(
                    "lm_head.weight", "model.embed_tokens.weight", "model.layers.0.mlp.up_proj.weight");
            assertThat(checkpoint.fileOf("lm_head.weight")).isEqualTo(directory.resolve(SECOND_SHARD));
            assertThat(checkpoint.fileOf("model.embed_tokens.weight")).isEqualTo(directory.resolve(FIRST_SHARD));
            assertThat(checkpoint.floats("lm_head.weight")).containsExactly(5, 6);
            assertThat(checkpoint.floats("model.layers.0.mlp.up_proj.weight")).containsExactly(3, 4);
            assertThat(checkpoint.bytes("model.embed_tokens.weight").getFloat(4)).isEqualTo(2f);
            assertThat(checkpoint.metadata()).containsEntry("total_size", "24").containsEntry("format", "pt");
        }
    }

    @Test
    void writeShardedProducesACheckpointThatOpens() throws IOException {
        Map<String, SafetensorsWriter> shards = new LinkedHashMap<>();
        shards.put(SECOND_SHARD, SafetensorsWriter.create()
                .putFloats("lm_head.weight", new long[] {2}, new float[] {5, 6}, DType.F16));
        shards.put(FIRST_SHARD, SafetensorsWriter.create()
                .putFloats("model.embed_tokens.weight", new long[] {2}, new float[] {1, 2}, DType.F32));
        Path model = directory.resolve("model");
        Checkpoint.writeSharded(model, shards);
        assertThat(Files.readString(model.resolve(Checkpoint.INDEX_FILE))).contains("\"total_size\" : 12");
        try (Checkpoint checkpoint = Checkpoint.open(model)) {
            assertThat(checkpoint.names()).containsExactly("lm_head.weight", "model.embed_tokens.weight");
            assertThat(checkpoint.floats("lm_head.weight")).containsExactly(5, 6);
            assertThat(checkpoint.fileOf("lm_head.weight")).isEqualTo(model.resolve(SECOND_SHARD));
        }
    }

    @Test
    void writeShardedRefusesATensorInTwoShards() {
        Map<String, SafetensorsWriter> shards = Map.of(
                FIRST_SHARD, SafetensorsWriter.create().putFloats("w", new long[] {1}, new float[] {1}, DType.F32),
                SECOND_SHARD, SafetensorsWriter.create().putFloats("w", new long[] {1}, new float[] {1}, DType.F32));
        assertThatThrownBy(() -> Checkpoint.writeSharded(directory, shards))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'w' is in two shards");
    }

    @Test
    void aMissingShardIsAnErrorNamingTheIndexAndTheShard() throws IOException {
        SafetensorsWriter.create().putFloats("a", new long[] {1}, new float[] {1}, DType.F32)
                .write(directory.resolve(FIRST_SHARD));
        Path index = Files.writeString(directory.resolve(Checkpoint.INDEX_FILE),
                "{\"weight_map\":{\"a\":\"" + FIRST_SHARD + "\",\"b\":\"" + SECOND_SHARD + "\"}}");
        assertThatThrownBy(() -> Checkpoint.open(directory))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining(index.toString())
                .hasMessageContaining("'" + SECOND_SHARD + "'")
                .hasMessageContaining("tensor 'b'")
                .hasMessageContaining("no such file");
    }

    @Test
    void aTensorListedInTheIndexButAbsentFromItsShardIsAnError() throws IOException {
        writeTwoShards();
        Path index = Files.writeString(directory.resolve(Checkpoint.INDEX_FILE),
                "{\"weight_map\":{\"lm_head.weight\":\"" + FIRST_SHARD + "\"}}");
        assertThatThrownBy(() -> Checkpoint.open(directory))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining(index.toString())
                .hasMessageContaining("'lm_head.weight'")
                .hasMessageContaining(FIRST_SHARD);
    }

    @Test
    void anIndexPointingOutsideTheDirectoryIsRefused() throws IOException {
        Path index = Files.writeString(directory.resolve(Checkpoint.INDEX_FILE),
                "{\"weight_map\":{\"a\":\"../elsewhere.safetensors\"}}");
        assertThatThrownBy(() -> Checkpoint.open(directory))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining(index.toString())
                .hasMessageContaining("'a'")
                .hasMessageContaining("expected the file name of a shard");
    }

    @Test
    void anIndexWithoutAWeightMapIsRefused() throws IOException {
        Path index = Files.writeString(directory.resolve(Checkpoint.INDEX_FILE), "{\"metadata\":{}}");
        assertThatThrownBy(() -> Checkpoint.open(directory))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining(index.toString())
                .hasMessageContaining("weight_map");
    }

    @Test
    void aDirectoryWithoutWeightsNamesBothExpectedFiles() {
        assertThatThrownBy(() -> Checkpoint.open(directory))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining(directory.toString())
                .hasMessageContaining(Checkpoint.SINGLE_FILE)
                .hasMessageContaining(Checkpoint.INDEX_FILE)
                .hasMessageNotContaining("pickle");
    }

    @Test
    void aDirectoryWithOnlyAPickledCheckpointIsRefusedWithTheReasonAndTheWayOut() throws IOException {
        Files.write(directory.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
        assertThatThrownBy(() -> Checkpoint.open(directory))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining(directory.toString())
                .hasMessageContaining("pytorch_model.bin")
                .hasMessageContaining("unpickling can run arbitrary code")
                .hasMessageContaining("save_pretrained(directory, safe_serialization=True)");
    }

    @Test
    void anUnknownTensorNameIsAnErrorNamingTheDirectoryAndTheName() {
        SafetensorsWriter.create().putFloats("a", new long[] {1}, new float[] {1}, DType.F32)
                .write(directory.resolve(Checkpoint.SINGLE_FILE));
        try (Checkpoint checkpoint = Checkpoint.open(directory)) {
            assertThat(checkpoint.contains("a")).isTrue();
            assertThatThrownBy(() -> checkpoint.info("b"))
                    .isInstanceOf(SafetensorsException.class)
                    .hasMessageContaining(directory.toString())
                    .hasMessageContaining("'b'");
        }
    }

    /** Two shards: embeddings and one MLP weight in the first, the output head in the second. */
    private void writeTwoShards() {
        SafetensorsWriter.create().metadata("format", "pt")
                .putFloats("model.embed_tokens.weight", new long[] {2}, new float[] {1, 2}, DType.F32)
                .putFloats("model.layers.0.mlp.up_proj.weight", new long[] {2}, new float[] {3, 4}, DType.F32)
                .write(directory.resolve(FIRST_SHARD));
        SafetensorsWriter.create().metadata("format", "pt")
                .putFloats("lm_head.weight", new long[] {2}, new float[] {5, 6}, DType.F32)
                .write(directory.resolve(SECOND_SHARD));
    }
}
