// Loading a checkpoint and writing it back with TransformerWeights.write gives every tensor's bytes unchanged.
package io.synod.solvers.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.synod.adapters.safetensors.Checkpoint;
import io.synod.adapters.safetensors.DType;
import io.synod.adapters.safetensors.SafetensorsFile;
import io.synod.adapters.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The original files come from {@link TinyModels#writeRandom} (written with SafetensorsWriter, not with the
 * class under test); the fused q/k/v and gate/up matrices must split back into exactly the tensors they were
 * made of.
 */
class CheckpointRoundTripTest {
    @TempDir Path directory;

    @Test
    void anF32CheckpointWrittenBackAsF32IsBitIdentical() throws IOException {
        TinyModels.writeRandom(directory, TinyModels.qwen2(), 31, DType.F32, false);
        assertWrittenBackIdentically(TinyModels.qwen2(), DataType.FLOAT32, DType.F32);
    }

    @Test
    void aBf16CheckpointWrittenBackAsBf16IsBitIdentical() throws IOException {
        TinyModels.writeRandom(directory, TinyModels.qwen2(), 32, DType.BF16, false);
        assertWrittenBackIdentically(TinyModels.qwen2(), DataType.FLOAT32, DType.BF16);
    }

    @Test
    void aTiedCheckpointWrittenBackHasNoHeadAndIsBitIdentical() throws IOException {
        TinyModels.writeRandom(directory, TinyModels.tiedLlama(), 33, DType.F32, false);
        assertWrittenBackIdentically(TinyModels.tiedLlama(), DataType.FLOAT32, DType.F32);
    }

    @Test
    void aShardedCheckpointWrittenBackAsOneFileHasTheSameTensors() throws IOException {
        TinyModels.writeRandom(directory, TinyModels.llama(), 34, DType.F32, true);
        assertWrittenBackIdentically(TinyModels.llama(), DataType.FLOAT32, DType.F32);
    }

    private void assertWrittenBackIdentically(ModelConfig config, DataType computeType, DType storeAs) {
        Path written = directory.resolve("written.safetensors");
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
             Checkpoint original = Checkpoint.open(directory)) {
            TransformerWeights.load(original, config, manager, computeType).write(written, storeAs);
            try (SafetensorsFile copy = SafetensorsFile.open(written)) {
                assertThat(new TreeSet<>(copy.tensors().stream().map(TensorInfo::name).collect(Collectors.toSet())))
                        .as("tensor names").isEqualTo(original.names());
                for (String name : original.names()) {
                    TensorInfo before = original.info(name);
                    TensorInfo after = copy.tensor(name).orElseThrow();
                    assertThat(after.dtype()).as(name).isEqualTo(before.dtype());
                    assertThat(after.shape()).as(name).isEqualTo(before.shape());
                    // ByteBuffer.equals compares the remaining bytes one by one
                    assertThat(copy.bytes(name)).as("bytes of %s", name).isEqualTo(original.bytes(name));
                }
            }
        }
    }
}
