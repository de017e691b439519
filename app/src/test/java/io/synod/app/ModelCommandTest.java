// The `synod model` commands on a small random model written by the test.
package io.synod.app;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.synod.adapters.safetensors.DType;
import io.synod.solvers.model.ByteLevelTokenizer;
import io.synod.solvers.model.ModelConfig;
import io.synod.solvers.model.TransformerWeights;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCommandTest {
    @TempDir static Path model;

    record Result(int exitCode, String out, String err) {}

    private static Result synod(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = SynodCommand.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(exitCode, out.toString(), err.toString());
    }

    @BeforeAll
    static void writeModel() throws Exception {
        ModelConfig config = new ModelConfig(ModelConfig.Architecture.LLAMA, 264, 32, 64, 2, 4, 2, 8, 1e-5, 10000, null,
                128, true, false, "float32", ByteLevelTokenizer.BEGIN_OF_SEQUENCE, ByteLevelTokenizer.END_OF_SEQUENCE);
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            TransformerWeights.random(config, manager, 3, 0.1f).write(model.resolve("model.safetensors"), DType.F32);
        }
        config.write(model.resolve("config.json"));
        ByteLevelTokenizer.write(model.resolve("tokenizer.json"));
    }

    @Test
    void infoDescribesTheArchitectureAndFiles() {
        Result result = synod("model", "info", "--model", model.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("LlamaForCausalLM", "layers:         2", "tied head:      true", "model.safetensors");
    }

    @Test
    void generateStreamsTheSameTextAsABatchOfOne() {
        Result single = synod("model", "generate", "--model", model.toString(), "-n", "8", "--ignore-eos", "hello");
        Result batch = synod("model", "generate", "--model", model.toString(), "-n", "8", "--ignore-eos", "hello", "world");
        assertThat(single.exitCode()).as(single.err()).isZero();
        assertThat(batch.exitCode()).as(batch.err()).isZero();
        assertThat(batch.out()).startsWith("[0] " + single.out().stripTrailing().replace("\n", ""));
        assertThat(single.err()).contains("prefill", "decode");
    }

    @Test
    void scoreRanksEveryContinuation() {
        Result result = synod("model", "score", "--model", model.toString(), "--prompt", "Togo uses the", " franc", " euro");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().lines().count()).isEqualTo(3);
        assertThat(result.out()).contains("\t franc", "\t euro");
    }

    @Test
    void aDirectoryWithoutAModelIsNamedInTheError() throws Exception {
        Path empty = Files.createTempDirectory("no-model");
        Result result = synod("model", "info", "--model", empty.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains(empty.toString(), "config.json");
    }
}
