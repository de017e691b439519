// `synod train base` end to end on a tiny config and data file: it trains, prints progress and writes a loadable model.
package io.synod.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.synod.solvers.model.ByteLevelTokenizer;
import io.synod.solvers.model.GenerationOptions;
import io.synod.solvers.model.LanguageModel;
import io.synod.solvers.model.ModelConfig;
import io.synod.solvers.model.RuntimeOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class TrainCommandTest {
    @TempDir Path directory;
    private Path config;
    private Path data;

    record Result(int exitCode, String out, String err) {}

    private static Result synod(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = SynodCommand.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** A HuggingFace config.json as a user would write it for a new model: no special token ids. */
    private Path writeConfig(String name, int vocabularySize) throws IOException {
        Path file = directory.resolve(name);
        new ModelConfig(ModelConfig.Architecture.LLAMA, vocabularySize, 32, 64, 2, 4, 2, 8, 1e-5, 10000, null, 64,
                true, false, "float32", -1, -1).write(file);
        return file;
    }

    @BeforeEach
    void writeInputs() throws IOException {
        config = writeConfig("config.json", 264);
        data = directory.resolve("data.jsonl");
        Files.writeString(data, String.join("\n",
                "{\"prompt\": \"capital of Togo?\", \"completion\": \" Lomé\"}",
                "{\"prompt\": \"capital of Benin?\", \"completion\": \" Porto-Novo\"}",
                "{\"text\": \"Lomé is the capital of Togo.\"}",
                ""));
    }

    @Test
    void trainBaseRunsAFewStepsAndWritesADirectoryThatLoads() throws IOException {
        Path output = directory.resolve("model");
        Result result = synod("train", "base", "--config", config.toString(), "--data", data.toString(),
                "--out", output.toString(), "--steps", "4", "--batch-size", "2", "--sequence-length", "48",
                "--warmup-steps", "1", "--log-every", "2", "--threads", "1");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("training llama", "3 examples", "step 2/4", "step 4/4", "loss", "tok/s", "left",
                "trained 4 steps");
        assertThat(output.resolve("config.json")).exists();
        assertThat(output.resolve("model.safetensors")).exists();
        assertThat(output.resolve("tokenizer.json")).exists();
        assertThat(ModelConfig.read(output.resolve("config.json")).eosTokenId()).isEqualTo(ByteLevelTokenizer.END_OF_SEQUENCE);
        try (LanguageModel model = LanguageModel.load(output, RuntimeOptions.defaults().withDevice(RuntimeOptions.DevicePreference.CPU))) {
            assertThat(model.generate(List.of("capital of Togo?"), GenerationOptions.greedy(4).withStopAtEos(false))
                    .get(0).tokens()).hasSize(4);
        }
    }

    @Test
    void mergesLearnedFromTheDataMakeFrequentWordsFewerTokens() throws IOException {
        Path output = directory.resolve("merged");
        Result result = synod("train", "base", "--config", config.toString(), "--data", data.toString(),
                "--out", output.toString(), "--merges", "6", "--steps", "2", "--batch-size", "2",
                "--sequence-length", "48", "--warmup-steps", "1", "--threads", "1");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("tokenizer: 6 merges learned from " + data);
        try (LanguageModel model = LanguageModel.load(output, RuntimeOptions.defaults().withDevice(RuntimeOptions.DevicePreference.CPU))) {
            // "capital", in every line of the data, holds the most frequent pairs of bytes
            assertThat(model.tokenizer().encodeContinuation("capital").length).isLessThan("capital".length());
        }

        Result tooMany = synod("train", "base", "--config", config.toString(), "--data", data.toString(),
                "--out", directory.resolve("other").toString(), "--merges", "7");
        assertThat(tooMany.exitCode()).isEqualTo(1);
        assertThat(tooMany.err()).contains("--merges is 7", "config.json has vocab_size 264", "expected 0 to 6");
    }

    @Test
    void aVocabularyTooSmallForTheByteLevelTokenizerIsRefusedNamingTheConfig() throws IOException {
        Path small = writeConfig("small.json", 100);
        Result result = synod("train", "base", "--config", small.toString(), "--data", data.toString(),
                "--out", directory.resolve("model").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("small.json", "vocab_size is 100", "at least 258");
    }

    @Test
    void aBadDataLineIsRefusedNamingTheFileAndLine() throws IOException {
        Files.writeString(data, "{\"text\": \"fine\"}\n{\"prompt\": \"no completion\"}\n");
        Result result = synod("train", "base", "--config", config.toString(), "--data", data.toString(),
                "--out", directory.resolve("model").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("data.jsonl:2:", "\"completion\" is missing",
                "expected a JSON object with \"prompt\" and \"completion\" strings, or with a \"text\" string");
    }

    @Test
    void everyOptionOfTrainBaseIsDescribedWithItsDefaultOrAsRequired() {
        CommandLine base = new CommandLine(new SynodCommand()).getSubcommands().get("train").getSubcommands().get("base");
        for (OptionSpec option : base.getCommandSpec().options()) {
            if (option.usageHelp() || option.versionHelp() || option.longestName().equals("--verbose")) {
                continue;
            }
            String description = String.join(" ", option.description());
            assertThat(description).as(option.longestName()).matches("(?s).*(\\(default: .+\\)|Required)\\.?$");
        }
        Result help = synod("train", "base", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: synod train base", "--learning-rate", "(default: 1e-3)", "--pack");
        assertThat(synod("train", "--help").out()).contains("base");
        assertThat(synod("--help").out()).contains("train");
    }

    @Test
    void retrainingTheDefaultRefusesADirectoryThatHoldsSomethingElse() throws Exception {
        Path out = directory.resolve("default");
        Files.createDirectories(out.resolve("base"));
        Result run = synod("train", "default", "--out", out.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(out + " is not empty", "pretrain/", "base/DONE");
    }
}
