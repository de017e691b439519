// `synod train adapter` end to end: a tiny base from `train base`, an adapter trained on it, loaded and applied.
package io.synod.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.synod.adapters.lora.LoraAdapter;
import io.synod.adapters.lora.TargetModules;
import io.synod.solvers.lora.AdapterMix;
import io.synod.solvers.lora.ResidentAdapter;
import io.synod.solvers.model.LanguageModel;
import io.synod.solvers.model.ModelConfig;
import io.synod.solvers.model.RuntimeOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class TrainAdapterCommandTest {
    @TempDir static Path directory;
    static Path base;
    static Path data;

    record Result(int exitCode, String out, String err) {}

    private static Result synod(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = SynodCommand.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** A tiny base trained for a few steps with `train base`, and a data file for the adapter. */
    @BeforeAll
    static void trainBase() throws IOException {
        Path config = directory.resolve("config.json");
        new ModelConfig(ModelConfig.Architecture.LLAMA, 264, 32, 64, 2, 4, 2, 8, 1e-5, 10000, null, 64,
                true, false, "float32", -1, -1).write(config);
        data = directory.resolve("data.jsonl");
        Files.writeString(data, String.join("\n",
                "{\"prompt\": \"capital of Togo?\", \"completion\": \" Lomé\"}",
                "{\"prompt\": \"capital of Benin?\", \"completion\": \" Porto-Novo\"}",
                "{\"text\": \"Lomé is the capital of Togo.\"}",
                ""));
        base = directory.resolve("base");
        Result result = synod("train", "base", "--config", config.toString(), "--data", data.toString(),
                "--out", base.toString(), "--steps", "4", "--batch-size", "2", "--sequence-length", "48",
                "--warmup-steps", "1", "--threads", "1");
        assertThat(result.exitCode()).as(result.err()).isZero();
    }

    private static Result trainAdapter(Path output, String... extra) {
        String[] common = {"train", "adapter", "--base", base.toString(), "--data", data.toString(),
            "--out", output.toString(), "--steps", "4", "--batch-size", "2", "--sequence-length", "48",
            "--learning-rate", "1e-2", "--warmup-steps", "1", "--log-every", "2", "--seed", "3", "--threads", "1"};
        String[] args = java.util.Arrays.copyOf(common, common.length + extra.length);
        System.arraycopy(extra, 0, args, common.length, extra.length);
        return synod(args);
    }

    @Test
    void trainAdapterPrintsProgressAndWritesAPeftAdapterThatTheBaseLoadsAndApplies() {
        Path output = directory.resolve("qa");
        Result result = trainAdapter(output, "--rank", "4", "--alpha", "8", "--targets", "q_proj,v_proj");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("adapter 'qa': standard initialisation, rank 4", "[q_proj, v_proj]",
                "3 examples", "step 2/4", "step 4/4", "loss", "tok/s", "left", "trained 4 steps");
        LoraAdapter adapter = LoraAdapter.read("qa", output);
        assertThat(adapter.config().rank()).isEqualTo(4);
        assertThat(adapter.config().alpha()).isEqualTo(8);
        assertThat(adapter.config().targets()).isEqualTo(TargetModules.names("q_proj", "v_proj"));
        assertThat(adapter.modules()).hasSize(4);
        try (LanguageModel model = LanguageModel.load(base, RuntimeOptions.defaults()
                .withDevice(RuntimeOptions.DevicePreference.CPU).withThreads(1));
             ResidentAdapter resident = model.materialise(adapter, 4)) {
            int[] ids = model.tokenizer().encode("capital of Togo?");
            assertThat(model.logits(ids, AdapterMix.of(resident))).isNotEqualTo(model.logits(ids));
        }
        Result generated = synod("model", "generate", "--model", base.toString(), "--adapter", output.toString(),
                "--threads", "1", "--max-tokens", "8", "capital of Togo?");
        assertThat(generated.exitCode()).as(generated.err()).isZero();
    }

    @Test
    void pissaWithRsLoraSavesARank2rAdapterForTheUnchangedBase() {
        Path output = directory.resolve("principal");
        Result result = trainAdapter(output, "--rank", "4", "--alpha", "8", "--targets", "all-linear",
                "--init", "pissa", "--rslora", "--name", "principal");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("adapter 'principal': pissa initialisation, rank 4",
                "saved as rank 8 for the unchanged base");
        LoraAdapter adapter = LoraAdapter.read("principal", output);
        assertThat(adapter.config().rank()).isEqualTo(8);
        assertThat(adapter.config().useRslora()).isTrue();
        assertThat(adapter.config().alpha()).isCloseTo(8 * Math.sqrt(2), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(adapter.modules()).hasSize(14);   // seven projections in each of two layers
        assertThat(adapter.modules()).allSatisfy(module ->
                assertThat(module.scale()).isCloseTo(4f, org.assertj.core.data.Offset.offset(1e-6f)));   // 8 / sqrt(4)
        assertThat(output.resolve("adapter_training.json")).content().contains("\"name\" : \"principal\"", "pissa");
        try (LanguageModel model = LanguageModel.load(base, RuntimeOptions.defaults()
                .withDevice(RuntimeOptions.DevicePreference.CPU).withThreads(1))) {
            model.materialise(adapter, 8).close();
        }
    }

    @Test
    void anUnknownInitialisationOrTargetIsRefusedNamingIt() {
        Result initialisation = trainAdapter(directory.resolve("bad-init"), "--init", "loftq");
        assertThat(initialisation.exitCode()).isEqualTo(1);
        assertThat(initialisation.err()).contains("--init is 'loftq'; expected standard or pissa");
        Result target = trainAdapter(directory.resolve("bad-target"), "--targets", "q_proj,lm_head");
        assertThat(target.exitCode()).isEqualTo(1);
        assertThat(target.err()).contains("'lm_head'", "q_proj", "all-linear");
    }

    @Test
    void anOutputDirectoryThatHoldsAnAdapterIsNotOverwritten() throws IOException {
        Path output = Files.createDirectories(directory.resolve("taken"));
        Files.writeString(output.resolve("adapter_model.safetensors"), "");
        Result result = trainAdapter(output);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("already holds an adapter");
    }

    @Test
    void everyOptionOfTrainAdapterIsDescribedWithItsDefaultOrAsRequired() {
        CommandLine adapter = new CommandLine(new SynodCommand()).getSubcommands().get("train").getSubcommands().get("adapter");
        for (OptionSpec option : adapter.getCommandSpec().options()) {
            if (option.usageHelp() || option.versionHelp() || option.longestName().equals("--verbose")) {
                continue;
            }
            String description = String.join(" ", option.description());
            assertThat(description).as(option.longestName()).matches("(?s).*(\\(default: .+\\)|Required)\\.?$");
        }
        Result help = synod("train", "adapter", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: synod train adapter", "--base", "--rank", "--alpha", "--targets",
                "--init", "--rslora", "--name", "--seed", "--learning-rate");
        assertThat(synod("train", "--help").out()).contains("base", "adapter");
    }
}
