// The `synod model` commands on a small random model written by the test.
package io.synod.app;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.synod.adapters.lora.LoraAdapter;
import io.synod.adapters.lora.LoraConfig;
import io.synod.adapters.lora.LoraModule;
import io.synod.adapters.lora.TargetModules;
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
    void anAdapterChangesWhatIsGeneratedAndScored() throws Exception {
        Path adapter = Files.createTempDirectory("adapter").resolve("loud");
        java.util.Random random = new java.util.Random(5);
        java.util.List<LoraModule> modules = new java.util.ArrayList<>();
        LoraConfig config = LoraConfig.of(4, 16, TargetModules.names("q_proj", "v_proj"), "tiny");
        for (int layer = 0; layer < 2; layer++) {
            for (String projection : new String[] {"q_proj", "v_proj"}) {
                int out = projection.equals("q_proj") ? 32 : 16;
                float[] a = new float[4 * 32];
                float[] b = new float[out * 4];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) random.nextGaussian();
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) random.nextGaussian();
                }
                String module = "model.layers." + layer + ".self_attn." + projection;
                modules.add(LoraModule.of(module, 4, (float) config.scaleFor(module), 32, out, a, b));
            }
        }
        LoraAdapter.of("loud", config, modules).write(adapter);

        Result plain = synod("model", "score", "--model", model.toString(), "--prompt", "Togo uses the", " franc");
        Result adapted = synod("model", "score", "--model", model.toString(), "--adapter", adapter.toString(),
                "--prompt", "Togo uses the", " franc");
        assertThat(adapted.exitCode()).as(adapted.err()).isZero();
        assertThat(adapted.out()).isNotEqualTo(plain.out());

        Result bad = synod("model", "generate", "--model", model.toString(), "--adapter", model.toString(), "x");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains(model.toString(), "adapter_model.safetensors");
    }

    @Test
    void aDirectoryWithoutAModelIsNamedInTheError() throws Exception {
        Path empty = Files.createTempDirectory("no-model");
        Result result = synod("model", "info", "--model", empty.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains(empty.toString(), "config.json");
    }
}
