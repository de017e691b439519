// `synod train`: train models on JSON Lines data with DJL autograd; `base` trains a new small model from scratch,
// `adapter` trains a LoRA adapter on a frozen base.
package io.synod.app.train;

import io.synod.app.model.RuntimeOption;
import io.synod.decomposer.training.DefaultModelTraining;
import io.synod.kg.KnowledgeGraph;
import io.synod.solvers.model.ByteLevelTokenizer;
import io.synod.solvers.model.ModelConfig;
import io.synod.solvers.training.BytePairMerges;
import io.synod.solvers.training.Trainer;
import io.synod.solvers.training.TrainingData;
import io.synod.solvers.training.TrainingOptions;
import io.synod.solvers.training.TrainingProgress;
import io.synod.solvers.training.TrainingSummary;
import io.synod.solvers.training.lora.AdapterOptions;
import io.synod.solvers.training.lora.AdapterTrainer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train language models on JSON Lines data: one object per line, {\"prompt\": ..., \"completion\": ...}",
            "(the loss covers the completion only) or {\"text\": ...} (the loss covers all of it)."
        },
        subcommands = {TrainCommand.BaseCommand.class, TrainCommand.AdapterCommand.class, TrainCommand.DefaultCommand.class})
public final class TrainCommand {

    /** The run's length, batches, schedule, seed, checkpoints, progress and device: shared by every train command. */
    static final class RunOptions {
        @Option(names = "--data", required = true, paramLabel = "FILE", description = "Training examples, JSON Lines. Required.")
        Path data;

        @Option(names = "--steps", defaultValue = "0", paramLabel = "N",
                description = "Optimizer steps to take; 0 trains for --epochs instead (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--epochs", defaultValue = "1", paramLabel = "N",
                description = "Passes over the data when --steps is 0 (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--batch-size", defaultValue = "8", paramLabel = "ROWS",
                description = "Rows per step (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--sequence-length", defaultValue = "256", paramLabel = "TOKENS",
                description = "Longest row; longer examples are cut at the end (default: ${DEFAULT-VALUE}).")
        int sequenceLength;

        @Option(names = "--pack", defaultValue = "false",
                description = "Put several whole examples in each row (each still attends only to itself) instead of"
                        + " one per row (default: ${DEFAULT-VALUE}).")
        boolean pack;

        @Option(names = "--learning-rate", defaultValue = "1e-3", paramLabel = "RATE",
                description = "Peak learning rate, reached after warm-up (default: ${DEFAULT-VALUE}).")
        double learningRate;

        @Option(names = "--min-learning-rate", defaultValue = "0", paramLabel = "RATE",
                description = "Where the cosine decay ends, at the last step (default: ${DEFAULT-VALUE}).")
        double minLearningRate;

        @Option(names = "--warmup-steps", defaultValue = "20", paramLabel = "N",
                description = "Steps of linear warm-up to the peak learning rate (default: ${DEFAULT-VALUE}).")
        int warmupSteps;

        @Option(names = "--clip-norm", defaultValue = "1.0", paramLabel = "NORM",
                description = "Largest global gradient norm; 0 turns clipping off (default: ${DEFAULT-VALUE}).")
        double clipNorm;

        @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED",
                description = "Seed of the initial weights and of the data order (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--checkpoint-every", defaultValue = "0", paramLabel = "N",
                description = "Write a checkpoint to DIR/checkpoint-<step> every N steps; 0 writes only"
                        + " the final result (default: ${DEFAULT-VALUE}).")
        int checkpointEvery;

        @Option(names = "--log-every", defaultValue = "10", paramLabel = "N",
                description = "Print a progress line every N steps (default: ${DEFAULT-VALUE}).")
        int logEvery;

        @Mixin RuntimeOption runtime;

        TrainingOptions toOptions(double weightDecay, Path resume) {
            return new TrainingOptions(steps, epochs, batchSize, sequenceLength, pack, learningRate, minLearningRate,
                    warmupSteps, weightDecay, clipNorm, seed, checkpointEvery, logEvery, resume, runtime.device(),
                    runtime.threads());
        }
    }

    @Command(name = "base", mixinStandardHelpOptions = true,
            description = {
                "Train a new model from random weights with a byte-level tokenizer (256 bytes, <s>, </s>, and",
                "--merges BPE merges learned from the data), printing progress, and write it (config.json,",
                "model.safetensors, tokenizer.json) to --out,",
                "where `synod model` and LanguageModel.load read it.",
                "Example: synod train base --config tiny.json --data qa.jsonl --out models/tiny --steps 500"
            },
            sortOptions = false)
    static final class BaseCommand implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--config", required = true, paramLabel = "FILE",
                description = "The new model's HuggingFace config.json (architecture and sizes); vocab_size must be"
                        + " at least 258 + --merges for the byte-level tokenizer. Required.")
        Path config;

        @Option(names = "--merges", defaultValue = "0", paramLabel = "N",
                description = "BPE merges to learn from the data's text: frequent words and pieces become one token"
                        + " each; 0 keeps one token per byte (default: ${DEFAULT-VALUE}).")
        int merges;

        @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR",
                description = "Where to write the model and checkpoints; it must not hold a model already"
                        + " unless --resume is given. Required.")
        Path output;

        @Mixin RunOptions run;

        @Option(names = "--weight-decay", defaultValue = "0.1", paramLabel = "DECAY",
                description = "AdamW's decoupled weight decay, on projection matrices only, not on embeddings and"
                        + " norms (default: ${DEFAULT-VALUE}).")
        double weightDecay;

        @Option(names = "--resume", paramLabel = "DIR",
                description = "Continue from a checkpoint directory of an earlier run with the same data, seed,"
                        + " batch size and sequence length (default: start afresh).")
        Path resume;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ModelConfig modelConfig = ModelConfig.read(config);
            try {
                Trainer.byteLevelConfig(modelConfig);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--config " + config + ": " + e.getMessage(), e);
            }
            if (merges < 0 || modelConfig.vocabularySize() < ByteLevelTokenizer.SIZE + merges) {
                throw new IllegalArgumentException("--merges is " + merges + " but --config " + config + " has vocab_size "
                        + modelConfig.vocabularySize() + "; expected 0 to " + (modelConfig.vocabularySize() - ByteLevelTokenizer.SIZE)
                        + " (vocab_size holds 258 ids and one per merge)");
            }
            TrainingOptions options = run.toOptions(weightDecay, resume);
            TrainingData examples = TrainingData.read(run.data);
            List<String[]> learned = List.of();
            if (merges > 0) {
                learned = BytePairMerges.learn(examples.texts(), merges);
                out.printf(Locale.ROOT, "tokenizer: %d merges learned from %s%n", learned.size(), run.data);
            }
            TrainingSummary summary = Trainer.trainBase(modelConfig, examples, output, options, null, learned,
                    TrainingProgress.printingTo(out));
            out.printf(Locale.ROOT, "trained %,d steps in %.1f s: final loss %.4f, %,.0f tokens/s; the model is in %s%n",
                    summary.steps(), summary.time().toMillis() / 1000.0, summary.finalLoss(), summary.tokensPerSecond(),
                    summary.output());
            return 0;
        }
    }

    @Command(name = "adapter", mixinStandardHelpOptions = true,
            description = {
                "Train a LoRA adapter on a frozen base model (only its A and B factors learn),",
                "printing progress, and write it in HuggingFace PEFT's format (adapter_config.json,",
                "adapter_model.safetensors) to --out, where `synod model --adapter` reads it.",
                "--init pissa starts from the principal singular vectors of each weight (PiSSA) and",
                "saves a rank-2r adapter that applies to the unchanged base.",
                "Example: synod train adapter --base models/tiny --data qa.jsonl --rank 8 --alpha 16",
                "  --targets q_proj,v_proj --out adapters/qa"
            },
            sortOptions = false)
    static final class AdapterCommand implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--base", required = true, paramLabel = "DIR",
                description = "The base model directory (config.json, safetensors weights, tokenizer.json); it is"
                        + " not changed. Required.")
        Path base;

        @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR",
                description = "Where to write the adapter and checkpoints; it must not hold an adapter already. Required.")
        Path output;

        @Option(names = "--rank", defaultValue = "8", paramLabel = "R",
                description = "Rank r of every adapted module (default: ${DEFAULT-VALUE}).")
        int rank;

        @Option(names = "--alpha", defaultValue = "16", paramLabel = "ALPHA",
                description = "lora_alpha: updates are scaled by alpha / r (default: ${DEFAULT-VALUE}).")
        double alpha;

        @Option(names = "--targets", defaultValue = "q_proj,v_proj", split = ",", paramLabel = "MODULES",
                description = "Projections to adapt in every layer, comma-separated, from q_proj, k_proj, v_proj,"
                        + " o_proj, gate_proj, up_proj, down_proj, or all-linear (default: ${DEFAULT-VALUE}).")
        List<String> targets;

        @Option(names = "--init", defaultValue = "standard", paramLabel = "METHOD",
                description = "standard (A random, B zero, as PEFT) or pissa (A and B from the principal singular"
                        + " vectors of each weight, the base trained as the residual; saved with rank 2r for the"
                        + " unchanged base) (default: ${DEFAULT-VALUE}).")
        String initialisation;

        @Option(names = "--rslora", defaultValue = "false",
                description = "Rank-stabilised scaling alpha / sqrt(r) instead of alpha / r (default: ${DEFAULT-VALUE}).")
        boolean rsLora;

        @Option(names = "--name", paramLabel = "NAME",
                description = "The adapter's name in messages and " + AdapterTrainer.TRAINING_FILE
                        + " (default: the name of the --out directory).")
        String name;

        @Mixin RunOptions run;

        @Option(names = "--weight-decay", defaultValue = "0", paramLabel = "DECAY",
                description = "AdamW's decoupled weight decay on A and B; it pulls PiSSA's factors, and so the model,"
                        + " away from the base (default: ${DEFAULT-VALUE}).")
        double weightDecay;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            AdapterOptions adapter;
            try {
                adapter = new AdapterOptions(name != null ? name : output.toAbsolutePath().getFileName().toString(), rank,
                        alpha, targets, initialisationOf(initialisation), rsLora);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("train adapter: " + e.getMessage(), e);
            }
            TrainingOptions options = run.toOptions(weightDecay, null);
            TrainingData examples = TrainingData.read(run.data);
            boolean pissa = adapter.initialisation() == AdapterOptions.Initialisation.PISSA;
            out.printf(Locale.ROOT, "adapter '%s': %s initialisation, rank %d, alpha %s (scale %.4g) on %s of %s (frozen)%s%n",
                    adapter.name(), adapter.initialisation().label(), adapter.rank(), alpha, adapter.scale(),
                    adapter.targets(), base, pissa ? "; saved as rank " + 2 * adapter.rank() + " for the unchanged base" : "");
            out.flush();
            TrainingSummary summary = AdapterTrainer.train(base, examples, output, adapter, options,
                    TrainingProgress.printingTo(out));
            out.printf(Locale.ROOT, "trained %,d steps in %.1f s: final loss %.4f, %,.0f tokens/s; the adapter is in %s%n",
                    summary.steps(), summary.time().toMillis() / 1000.0, summary.finalLoss(), summary.tokensPerSecond(),
                    summary.output());
            return 0;
        }

        private static AdapterOptions.Initialisation initialisationOf(String value) {
            for (AdapterOptions.Initialisation candidate : AdapterOptions.Initialisation.values()) {
                if (candidate.label().equalsIgnoreCase(value)) {
                    return candidate;
                }
            }
            throw new IllegalArgumentException("--init is '" + value + "'; expected standard or pissa");
        }
    }

    @Command(name = "default", mixinStandardHelpOptions = true,
            description = {
                "Retrain the embedded default from a seed: generate the training corpus from the bundled world graph",
                "(train-split entities only), train the base model on the whole task mixture (phase 1, kept in pretrain/;",
                "a finished phase 1 found there is reused), then on decomposition, walk and composition alone (phase 2,",
                "kept in base/; a finished phase 2, marked by base/DONE, is reused), then the bank of LoRA experts on it:",
                "one per role (decompose, walk, direct, compose) and the distractors (lexical-walk, count-compare, gloss).",
                "Writes pretrain/, base/, adapters/<expert>/, corpus/ and training.json",
                "to --out; `synod ask --model-dir DIR` answers with the result. The shipped model took the time",
                "recorded in decomposer/src/main/resources/io/synod/decomposer/default/training.json on 2 CPU cores.",
                "Example: synod train default --out models/default"
            },
            sortOptions = false)
    static final class DefaultCommand implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR",
                description = "An empty or new directory to write into. Required.")
        Path output;

        @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED",
                description = "Seed of the corpus, the weights and the data order (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--questions", paramLabel = "N",
                description = "Generated training questions (default: the shipped recipe's).")
        Integer questions;

        @Option(names = "--base-steps", paramLabel = "N", description = "Base model steps (default: the shipped recipe's).")
        Integer baseSteps;

        @Option(names = "--focus-steps", paramLabel = "N",
                description = "Base model steps of the second phase, on decomposition, walk and composition only"
                        + " (default: the shipped recipe's).")
        Integer focusSteps;

        @Option(names = "--expert-steps", paramLabel = "N", description = "Steps per expert (default: the shipped recipe's).")
        Integer expertSteps;

        /** pretrain/ (a finished phase 1 is reused, an unfinished one restarted) or a finished base/. */
        private static boolean reusable(Path entry) {
            String name = entry.getFileName().toString();
            return name.equals("pretrain") || name.equals("base") && Files.exists(entry.resolve("DONE"));
        }

        @Override
        public Integer call() throws Exception {
            if (Files.isDirectory(output)) {
                try (var entries = Files.list(output)) {
                    if (entries.anyMatch(entry -> !reusable(entry))) {
                        throw new IllegalArgumentException(output + " is not empty; choose a new directory (only a"
                                + " finished phase 1 in pretrain/ and a finished phase 2 in base/, marked by base/DONE,"
                                + " may be there, to be reused)");
                    }
                }
            }
            var recipe = DefaultModelTraining.Recipe.standard().withSeed(seed);
            if (questions != null) {
                recipe = recipe.withQuestions(questions);
            }
            if (baseSteps != null || focusSteps != null || expertSteps != null) {
                recipe = recipe.withSteps(baseSteps != null ? baseSteps : recipe.baseSteps(),
                        focusSteps != null ? focusSteps : recipe.focusSteps(),
                        expertSteps != null ? expertSteps : recipe.adapterSteps());
            }
            PrintWriter out = spec.commandLine().getOut();
            try (var graph = KnowledgeGraph.bundled()) {
                DefaultModelTraining.train(graph, recipe, output, line -> {
                    out.println(line);
                    out.flush();
                });
            }
            return 0;
        }
    }
}
