// Trains the embedded default: a small Llama with a byte-level BPE tokenizer on the whole task mixture, then one LoRA expert
// per task on it, all from one seed, with progress on the terminal.
package io.synod.decomposer.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.synod.adapters.experts.LinearGate;
import io.synod.kg.KnowledgeGraph;
import io.synod.solvers.model.ByteLevelTokenizer;
import io.synod.solvers.model.ModelConfig;
import io.synod.solvers.model.LanguageModel;
import io.synod.solvers.model.ModelConfig.Architecture;
import io.synod.solvers.model.RuntimeOptions;
import io.synod.solvers.model.RuntimeOptions.DevicePreference;
import io.synod.solvers.training.BytePairMerges;
import io.synod.solvers.training.Trainer;
import io.synod.solvers.training.TrainingData;
import io.synod.solvers.training.TrainingOptions;
import io.synod.solvers.training.TrainingProgress;
import io.synod.solvers.training.TrainingSummary;
import io.synod.solvers.training.lora.AdapterOptions;
import io.synod.solvers.training.lora.AdapterTrainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The recipe of the embedded default. Output layout:
 * <pre>
 * out/base/                 config.json, model.safetensors, tokenizer.json (HuggingFace layout)
 * out/base/DONE            marks a finished phase 2: a later run into the same directory reuses base/
 * out/adapters/&lt;task&gt;/     adapter_config.json, adapter_model.safetensors (PEFT), adapter_training.json,
 *                           expert.json (the expert's card: description, training, exemplars)
 * out/adapters/gate.json    the trained gate over the experts ({@link GateTraining})
 * out/training.json         the recipe, seed, corpus sizes, losses and times
 * </pre>
 * The corpus is written to {@code out/corpus/} for inspection (it is not needed at run time). The experts are
 * the four roles' ({@link TrainingCorpus#TASKS}) and then the rest of the bank ({@link TrainingCorpus#OTHER_TASKS}),
 * each trained from the same seed on the finished base alone, so adding an expert to the bank leaves the others'
 * weights as they were.
 */
public final class DefaultModelTraining {

    /** The size and schedule of a run; {@link #standard()} is what the shipped models were trained with. */
    public record Recipe(int questions, long seed, int merges, ModelConfig model, int baseSteps, int focusSteps,
                         int adapterSteps, int batchSize, int sequenceLength, int rank, double alpha, int threads) {

        /** Merges of the tokenizer learned from the phase 1 corpus: about 3.3 bytes per token instead of 1. */
        static final int MERGES = 1_000;

        public static Recipe standard() {
            ModelConfig model = new ModelConfig(Architecture.LLAMA, ByteLevelTokenizer.SIZE + MERGES, 192, 512, 4, 6,
                    2, 32, 1e-5, 10000, null, 512, true, false, "float32", ByteLevelTokenizer.BEGIN_OF_SEQUENCE,
                    ByteLevelTokenizer.END_OF_SEQUENCE);
            return new Recipe(6_000, 0, MERGES, model, 1_000, 1_500, 150, 16, 256, 16, 32, 1);
        }

        public Recipe withSteps(int base, int focus, int adapter) {
            return new Recipe(questions, seed, merges, model, base, focus, adapter, batchSize, sequenceLength, rank,
                    alpha, threads);
        }

        public Recipe withQuestions(int count) {
            return new Recipe(count, seed, merges, model, baseSteps, focusSteps, adapterSteps, batchSize,
                    sequenceLength, rank, alpha, threads);
        }

        public Recipe withSeed(long value) {
            return new Recipe(questions, value, merges, model, baseSteps, focusSteps, adapterSteps, batchSize,
                    sequenceLength, rank, alpha, threads);
        }
    }

    private DefaultModelTraining() {
    }

    /** Generates the corpus, trains the base and the experts into {@code out}, and reports progress to {@code log}. */
    public static void train(KnowledgeGraph graph, Recipe recipe, Path out, Consumer<String> log) {
        long start = System.nanoTime();
        TrainingCorpus corpus = TrainingCorpus.generate(graph, recipe.questions(), recipe.seed());
        corpus.write(out.resolve("corpus"));
        log.accept("corpus: " + corpus.describe());

        TrainingSummary pretrain = null;
        Path pretrained = out.resolve("pretrain");
        if (Files.exists(pretrained.resolve("model.safetensors")) && Files.exists(pretrained.resolve("DONE"))) {
            log.accept("base phase 1: reusing the finished run in " + pretrained);
        } else {
            log.accept("base phase 1 (everything, with text): " + recipe.model().hiddenSize() + " hidden, "
                    + recipe.model().layers() + " layers, " + recipe.baseSteps() + " steps of " + recipe.batchSize()
                    + " x " + recipe.sequenceLength() + " tokens");
            TrainingData mixture = TrainingData.of(corpus.mixture(recipe.seed()));
            List<String[]> merges = BytePairMerges.learn(mixture.texts(), recipe.merges());
            log.accept("tokenizer: " + merges.size() + " merges learned from the phase 1 corpus");
            pretrain = Trainer.trainBase(recipe.model(), mixture, pretrained,
                    baseOptions(recipe, recipe.baseSteps(), 3e-3), null, merges,
                    report -> log.accept("base " + report.line()));
            writeMarker(pretrained.resolve("DONE"));
        }
        TrainingSummary base = null;
        Path focused = out.resolve("base");
        if (Files.exists(focused.resolve("model.safetensors")) && Files.exists(focused.resolve("DONE"))) {
            log.accept("base phase 2: reusing the finished run in " + focused);
        } else {
            log.accept("base phase 2 (decomposition, walk and composition only): " + recipe.focusSteps() + " steps");
            base = Trainer.trainBase(recipe.model(), TrainingData.of(corpus.focus(recipe.seed())), focused,
                    baseOptions(recipe, recipe.focusSteps(), 2e-3), pretrained,
                    report -> log.accept("focus " + report.line()));
            writeMarker(focused.resolve("DONE"));
        }

        ObjectNode record = new ObjectMapper().createObjectNode();
        record.put("seed", recipe.seed());
        record.put("questions", recipe.questions());
        record.put("tokenizer_merges", recipe.merges());
        record.put("corpus", corpus.describe());
        if (pretrain != null) {
            record.put("pretrain_steps", pretrain.steps());
            record.put("pretrain_final_loss", pretrain.finalLoss());
            record.put("pretrain_seconds", pretrain.time().toSeconds());
        }
        if (base != null) {
            record.put("focus_steps", base.steps());
            record.put("focus_final_loss", base.finalLoss());
            record.put("focus_seconds", base.time().toSeconds());
        }
        // the cards' exemplars are drawn from a smaller corpus of the same seed, as ExpertCards.main draws them
        TrainingCorpus exemplars = TrainingCorpus.generate(graph, ExpertCards.QUESTIONS, recipe.seed());
        for (String task : ExpertCards.tasks()) {
            AdapterOptions adapter = AdapterOptions.defaults().withName(task).withRank(recipe.rank())
                    .withAlpha(recipe.alpha()).withTargets(AdapterOptions.PROJECTIONS)
                    .withInitialisation(AdapterOptions.Initialisation.STANDARD);
            TrainingOptions options = TrainingOptions.defaults()
                    .withSteps(recipe.adapterSteps()).withBatchSize(recipe.batchSize())
                    .withSequenceLength(recipe.sequenceLength()).withPacking(true).withLearningRate(5e-3, 0)
                    .withWarmupSteps(20).withWeightDecay(0).withSeed(recipe.seed()).withLogEvery(50)
                    .withThreads(recipe.threads());
            log.accept("expert " + task + ": rank " + recipe.rank() + ", all linear projections, "
                    + recipe.adapterSteps() + " steps on " + corpus.examples(task).size() + " examples");
            TrainingSummary summary = AdapterTrainer.train(out.resolve("base"), TrainingData.of(corpus.examples(task)),
                    out.resolve("adapters").resolve(task), adapter, options,
                    report -> log.accept(task + " " + report.line()));
            ExpertCards.card(task, exemplars.examples(task), ExpertCards.trainedOn(task, corpus.examples(task).size(),
                    recipe.adapterSteps(), recipe.rank()), recipe.seed()).write(out.resolve("adapters").resolve(task));
            record.put(task + "_final_loss", summary.finalLoss());
            record.put(task + "_seconds", summary.time().toSeconds());
        }
        try (LanguageModel model = LanguageModel.load(out.resolve("base"),
                RuntimeOptions.defaults().withThreads(recipe.threads()))) {
            LinearGate gate = GateTraining.fit(model, GateTraining.cards(out.resolve("adapters")), corpus::examples,
                    recipe.seed());
            gate.write(out.resolve("adapters"));
            log.accept("trained gate over " + gate.experts() + ": " + gate.trainedOn());
        }
        Duration total = Duration.ofNanos(System.nanoTime() - start);
        record.put("total_seconds", total.toSeconds());
        try {
            Files.writeString(out.resolve("training.json"),
                    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(record));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve("training.json"), e);
        }
        log.accept(String.format("done in %d min %02d s", total.toMinutes(), total.toSecondsPart()));
    }

    private static TrainingOptions baseOptions(Recipe recipe, int steps, double learningRate) {
        return TrainingOptions.defaults()
                .withSteps(steps).withBatchSize(recipe.batchSize()).withSequenceLength(recipe.sequenceLength())
                .withPacking(true).withLearningRate(learningRate, 1e-4).withWarmupSteps(50).withWeightDecay(0.05)
                .withSeed(recipe.seed()).withLogEvery(50).withDevice(DevicePreference.AUTO).withThreads(recipe.threads());
    }

    private static void writeMarker(Path file) {
        try {
            Files.writeString(file, "phase finished\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** {@code DefaultModelTraining <out> [questions] [baseSteps focusSteps adapterSteps]}. */
    public static void main(String[] args) {
        Path out = Path.of(args[0]);
        Recipe recipe = Recipe.standard();
        if (args.length > 1) {
            recipe = recipe.withQuestions(Integer.parseInt(args[1]));
        }
        if (args.length > 4) {
            recipe = recipe.withSteps(Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        }
        try (KnowledgeGraph graph = KnowledgeGraph.bundled()) {
            train(graph, recipe, out, System.out::println);
        }
    }
}
