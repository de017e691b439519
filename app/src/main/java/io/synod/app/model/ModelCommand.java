// `synod model`: inspect a model directory, generate from it and score continuations with it.
package io.synod.app.model;

import io.synod.adapters.lora.LoraAdapter;
import io.synod.solvers.lora.AdapterMix;
import io.synod.solvers.model.GenerationOptions;
import io.synod.solvers.model.GenerationResult;
import io.synod.solvers.model.LanguageModel;
import io.synod.solvers.model.LanguageModel.ContinuationScore;
import io.synod.solvers.model.ModelConfig;
import io.synod.solvers.model.TokenListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "model",
        mixinStandardHelpOptions = true,
        description = "Use a language model directory in the HuggingFace layout (config.json, *.safetensors, tokenizer.json).",
        subcommands = {ModelCommand.InfoCommand.class, ModelCommand.GenerateCommand.class, ModelCommand.ScoreCommand.class})
public final class ModelCommand {

    /** Options every model command shares: where the model is and how it runs. */
    static final class ModelOptions {
        @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "The model directory.")
        Path directory;

        @Mixin RuntimeOption runtime;

        @Option(names = {"-a", "--adapter"}, paramLabel = "DIR",
                description = "A PEFT LoRA adapter directory to apply (unmerged) to every prompt.")
        Path adapter;

        LanguageModel load() {
            return LanguageModel.load(directory, runtime.runtimeOptions());
        }

        /** The adapter named by --adapter on {@code model}, or none; the caller closes it with the model. */
        AdapterMix adapterOn(LanguageModel model) {
            if (adapter == null) {
                return AdapterMix.none();
            }
            LoraAdapter read = LoraAdapter.read(adapter.getFileName().toString(), adapter);
            return AdapterMix.of(model.materialise(read, MAX_RANK));
        }
    }

    /** The largest adapter rank the command line accepts. */
    static final int MAX_RANK = 256;

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Print the architecture, size and files of a model, and how long it takes to load.")
    static final class InfoCommand implements Callable<Integer> {
        @Mixin ModelOptions model;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            long start = System.nanoTime();
            try (LanguageModel loaded = model.load()) {
                long loadMillis = (System.nanoTime() - start) / 1_000_000;
                ModelConfig config = loaded.config();
                out.printf("directory:      %s%n", model.directory);
                out.printf("architecture:   %s%n", config.architecture().className());
                out.printf(Locale.ROOT, "parameters:     %,d%n", config.parameterCount());
                out.printf("layers:         %d%n", config.layers());
                out.printf("hidden size:    %d (feed-forward %d)%n", config.hiddenSize(), config.intermediateSize());
                out.printf("heads:          %d query, %d key/value, %d wide%n",
                        config.attentionHeads(), config.keyValueHeads(), config.headDimension());
                out.printf("vocabulary:     %d (tokenizer ids up to %d)%n", config.vocabularySize(), loaded.tokenizer().highestId());
                out.printf("positions:      %d (context used: %d)%n", config.maxPositionEmbeddings(), loaded.contextLength());
                out.printf("rope:           theta %s%s%n", config.ropeTheta(), config.ropeScaling() == null ? "" : ", llama3 scaling");
                out.printf("tied head:      %s%n", config.tieWordEmbeddings());
                out.printf("dtype on disk:  %s%n", config.torchDtype());
                out.printf("device:         %s%n", loaded.device());
                out.printf("load time:      %d ms%n", loadMillis);
                try (Stream<Path> files = Files.list(model.directory)) {
                    for (Path file : files.sorted().toList()) {
                        out.printf(Locale.ROOT, "file:           %-40s %,d bytes%n", file.getFileName(), Files.size(file));
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Continue each prompt; with one prompt the text streams as it is generated.")
    static final class GenerateCommand implements Callable<Integer> {
        @Mixin ModelOptions model;
        @Spec CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "PROMPT", description = "Prompts; several run as one batch.")
        List<String> prompts;

        @Option(names = {"-n", "--max-tokens"}, defaultValue = "64", description = "Most new tokens per prompt (default: ${DEFAULT-VALUE}).")
        int maxTokens;

        @Option(names = {"-t", "--temperature"}, defaultValue = "0",
                description = "0 for greedy decoding, else the sampling temperature (default: ${DEFAULT-VALUE}).")
        double temperature;

        @Option(names = "--top-p", defaultValue = "1", description = "Nucleus sampling mass (default: ${DEFAULT-VALUE}).")
        double topP;

        @Option(names = "--seed", defaultValue = "0", description = "Seed of the sampler (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--stop", paramLabel = "TEXT", description = "End a prompt's generation at this text (repeatable).")
        List<String> stops = new ArrayList<>();

        @Option(names = "--ignore-eos", description = "Keep generating after the end-of-sequence token.")
        boolean ignoreEos;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            GenerationOptions options = GenerationOptions.greedy(maxTokens)
                    .withSampling(temperature, topP, seed)
                    .withStopStrings(stops)
                    .withStopAtEos(!ignoreEos);
            try (LanguageModel loaded = model.load()) {
                List<AdapterMix> adapters = java.util.Collections.nCopies(prompts.size(), model.adapterOn(loaded));
                if (prompts.size() == 1) {
                    GenerationResult result = loaded.generate(prompts, adapters, options, (prompt, text) -> {
                        out.print(text);
                        out.flush();
                    }).get(0);
                    out.println();
                    printTimings(result, 1);
                } else {
                    List<GenerationResult> results = loaded.generate(prompts, adapters, options, TokenListener.NONE);
                    for (int i = 0; i < prompts.size(); i++) {
                        out.printf("[%d] %s%n", i, results.get(i).text());
                    }
                    printTimings(results.get(0), prompts.size());
                }
            }
            return 0;
        }

        private void printTimings(GenerationResult result, int batch) {
            spec.commandLine().getErr().printf(Locale.ROOT, "(%s; prompt %d tokens, prefill %.0f ms, decode %.0f ms for %d tokens%s)%n",
                    result.finishReason().name().toLowerCase(Locale.ROOT).replace('_', ' '), result.promptTokens(),
                    result.prefillNanos() / 1e6, result.decodeNanos() / 1e6, result.tokens().length,
                    batch > 1 ? " in row 0 of " + batch : "");
        }
    }

    @Command(name = "score", mixinStandardHelpOptions = true,
            description = "Print the log-likelihood of each continuation given the prompt, best first.")
    static final class ScoreCommand implements Callable<Integer> {
        @Mixin ModelOptions model;
        @Spec CommandSpec spec;

        @Option(names = {"-p", "--prompt"}, required = true, description = "The prompt the continuations follow.")
        String prompt;

        @Parameters(arity = "1..*", paramLabel = "CONTINUATION", description = "Continuations to score, as one batch.")
        List<String> continuations;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (LanguageModel loaded = model.load()) {
                List<ContinuationScore> scores = loaded.score(prompt, continuations, model.adapterOn(loaded));
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < scores.size(); i++) {
                    order.add(i);
                }
                order.sort((a, b) -> Double.compare(scores.get(b).logLikelihood(), scores.get(a).logLikelihood()));
                out.println("log-likelihood\ttokens\tperplexity\tcontinuation");
                for (int i : order) {
                    ContinuationScore score = scores.get(i);
                    out.printf(Locale.ROOT, "%.4f\t%d\t%.3f\t%s%n", score.logLikelihood(), score.tokens(), score.perplexity(),
                            continuations.get(i));
                }
            }
            return 0;
        }
    }
}
