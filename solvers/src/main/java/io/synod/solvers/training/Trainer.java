// The training loop: next-token loss under DJL autograd, AdamW, clipping, warm-up and cosine decay, checkpoints.
package io.synod.solvers.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.synod.adapters.safetensors.Checkpoint;
import io.synod.adapters.safetensors.DType;
import io.synod.solvers.model.ByteLevelTokenizer;
import io.synod.solvers.model.ModelConfig;
import io.synod.solvers.model.RuntimeOptions.DevicePreference;
import io.synod.solvers.model.TextTokenizer;
import io.synod.solvers.model.Transformer;
import io.synod.solvers.model.TransformerWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a Llama-family model with DJL autograd on the PyTorch engine.
 *
 * <p>Each step: a batch (see {@link TrainingBatches}); logits from {@link Transformer#forward(NDArray, NDArray, NDArray)}
 * inside a {@link GradientCollector}; the loss is the mean negative log-likelihood of the target tokens (completion
 * and end-of-sequence tokens only); the gradients are clipped by their global norm and applied by {@link AdamW}
 * (betas 0.9 and 0.95, epsilon 1e-8, as is usual for language models) at the rate of the
 * {@link LearningRateSchedule}. Weight decay applies to the projection matrices (attention, feed-forward and an
 * untied output head) and not to embeddings, norms or biases, which decay would only pull towards zero.
 *
 * <p>Memory: weights, gradients (PyTorch keeps them on the weights) and optimizer moments live on the model's
 * manager; everything a step makes lives in a sub-manager closed at the end of the step.
 *
 * <p>Output: the final model in {@code output} ({@code config.json}, {@code model.safetensors} in f32,
 * {@code tokenizer.json}), which {@code LanguageModel.load} reads; with {@link TrainingOptions#checkpointEvery()},
 * also {@code output/checkpoint-<step>/}, each a loadable model plus {@value #OPTIMIZER_STATE} and
 * {@value #TRAINER_STATE} to resume from. One run per process at a time (DJL has one gradient collector).
 */
public final class Trainer {
    private static final Logger log = LoggerFactory.getLogger(Trainer.class);

    /** The optimizer's moments in a checkpoint. */
    public static final String OPTIMIZER_STATE = "optimizer.safetensors";
    /** The step, seed and data layout of a checkpoint, to resume from. */
    public static final String TRAINER_STATE = "trainer_state.json";

    static final double BETA1 = 0.9;
    static final double BETA2 = 0.95;
    static final double EPSILON = 1e-8;
    /** Standard deviation of the initial weights, HuggingFace's usual {@code initializer_range}. */
    static final float INITIALIZER_RANGE = 0.02f;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Trainer() {}

    /**
     * The configuration of a new model with {@link ByteLevelTokenizer}'s vocabulary: {@code config} with its
     * beginning and end of sequence set to the tokenizer's, stored as float32.
     *
     * @throws IllegalArgumentException if {@code vocab_size} cannot hold the tokenizer's ids, or the config names
     *     other special token ids
     */
    public static ModelConfig byteLevelConfig(ModelConfig config) {
        if (config.vocabularySize() < ByteLevelTokenizer.SIZE) {
            throw new IllegalArgumentException("vocab_size is " + config.vocabularySize() + " but a new model's byte-level"
                    + " tokenizer needs at least " + ByteLevelTokenizer.SIZE + " ids (256 bytes, <s> and </s>);"
                    + " set \"vocab_size\" to " + ByteLevelTokenizer.SIZE + " or more");
        }
        requireSpecial("bos_token_id", config.bosTokenId(), ByteLevelTokenizer.BEGIN_OF_SEQUENCE);
        requireSpecial("eos_token_id", config.eosTokenId(), ByteLevelTokenizer.END_OF_SEQUENCE);
        return new ModelConfig(config.architecture(), config.vocabularySize(), config.hiddenSize(),
                config.intermediateSize(), config.layers(), config.attentionHeads(), config.keyValueHeads(),
                config.headDimension(), config.rmsNormEpsilon(), config.ropeTheta(), config.ropeScaling(),
                config.maxPositionEmbeddings(), config.tieWordEmbeddings(), config.attentionBias(), "float32",
                ByteLevelTokenizer.BEGIN_OF_SEQUENCE, ByteLevelTokenizer.END_OF_SEQUENCE);
    }

    private static void requireSpecial(String key, int given, int expected) {
        if (given >= 0 && given != expected) {
            throw new IllegalArgumentException(key + " is " + given + " but the byte-level tokenizer's is " + expected
                    + "; remove \"" + key + "\" or set it to " + expected);
        }
    }

    /**
     * Trains a new model from random weights (or from {@link TrainingOptions#resumeFrom()}) with a byte-level
     * tokenizer, and writes it to {@code output}.
     *
     * @param config  the model's shape; see {@link #byteLevelConfig}
     * @param data    the examples
     * @param output  the directory to write into (created if needed); it must not hold a model already unless resuming
     * @throws IllegalArgumentException if the configuration, options or checkpoint to resume from do not fit
     * @throws IllegalStateException if the loss or the gradients stop being finite
     */
    public static TrainingSummary trainBase(ModelConfig config, TrainingData data, Path output, TrainingOptions options,
                                            TrainingProgress progress) {
        return trainBase(config, data, output, options, null, progress);
    }

    /**
     * As {@link #trainBase(ModelConfig, TrainingData, Path, TrainingOptions, TrainingProgress)}, starting from the
     * weights of the model in {@code initialWeights} (same config.json) instead of random ones, with a fresh
     * optimizer and schedule: a second phase of training on other data.
     */
    public static TrainingSummary trainBase(ModelConfig config, TrainingData data, Path output, TrainingOptions options,
                                            Path initialWeights, TrainingProgress progress) {
        return trainBase(config, data, output, options, initialWeights, List.of(), progress);
    }

    /**
     * As {@link #trainBase(ModelConfig, TrainingData, Path, TrainingOptions, Path, TrainingProgress)}, with a
     * byte-level tokenizer that applies {@code merges} (from {@link BytePairMerges#learn}); {@code vocab_size}
     * must hold the ids they make. A run that starts from {@code initialWeights} keeps that model's tokenizer
     * and takes no merges.
     */
    public static TrainingSummary trainBase(ModelConfig config, TrainingData data, Path output, TrainingOptions options,
                                            Path initialWeights, List<String[]> merges, TrainingProgress progress) {
        if (initialWeights != null && !merges.isEmpty()) {
            throw new IllegalArgumentException("a run from " + initialWeights + " keeps its tokenizer; give no merges");
        }
        ModelConfig model = byteLevelConfig(config);
        if (options.sequenceLength() > model.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("sequence length " + options.sequenceLength()
                    + " exceeds the model's max_position_embeddings " + model.maxPositionEmbeddings()
                    + "; lower the sequence length or raise max_position_embeddings");
        }
        if (options.resumeFrom() == null && Files.exists(output.resolve(Checkpoint.SINGLE_FILE))) {
            throw new IllegalArgumentException(output + " already holds a model (" + Checkpoint.SINGLE_FILE
                    + "); choose an empty directory, or resume from a checkpoint");
        }
        Path tokenizerFile = output.resolve("tokenizer.json");
        try {
            Files.createDirectories(output);
            if (initialWeights != null) {
                Files.copy(initialWeights.resolve("tokenizer.json"), tokenizerFile, StandardCopyOption.REPLACE_EXISTING);
            } else {
                ByteLevelTokenizer.write(tokenizerFile, merges);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + tokenizerFile + ": " + e.getMessage(), e);
        }
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerFile, model.vocabularySize())) {
            List<TokenizedExample> examples = data.tokenize(tokenizer, model.eosTokenId());
            TrainingBatches batches = new TrainingBatches(examples, options.batchSize(), options.sequenceLength(),
                    options.pack(), options.seed());
            if (batches.rows() == 0) {
                throw new IllegalArgumentException("no example has a token to learn within the sequence length of "
                        + options.sequenceLength() + " tokens");
            }
            Engine engine = Engine.getEngine("PyTorch");
            // the thread count is the process's: set it for the run and put it back after
            int previousThreads = JniUtils.getNumThreads();
            if (options.threads() > 0) {
                JniUtils.setNumThreads(options.threads());
            }
            try (NDManager manager = engine.newBaseManager(chooseDevice(engine, options.device()))) {
                Run run = new Run(model, manager, tokenizerFile, batches, data.size(), options, initialWeights, progress);
                return run.train(output);
            } finally {
                if (options.threads() > 0) {
                    JniUtils.setNumThreads(previousThreads);
                }
            }
        }
    }

    /**
     * The device a run trains on: a GPU for AUTO when the engine sees one, else the CPU.
     *
     * @throws IllegalArgumentException if GPU is asked for and the engine sees none
     */
    public static Device chooseDevice(Engine engine, DevicePreference preference) {
        boolean gpu = engine.getGpuCount() > 0;
        return switch (preference) {
            case CPU -> Device.cpu();
            case GPU -> {
                if (!gpu) {
                    throw new IllegalArgumentException("a GPU was asked for, but the PyTorch engine sees none");
                }
                yield Device.gpu();
            }
            case AUTO -> gpu ? Device.gpu() : Device.cpu();
        };
    }

    /**
     * The trainable arrays of {@code weights}, named after the HuggingFace keys they hold (fused q/k/v and gate/up
     * under a combined name), each once; decay only for projection matrices.
     */
    static List<AdamW.Parameter> parametersOf(TransformerWeights weights) {
        List<AdamW.Parameter> parameters = new ArrayList<>();
        parameters.add(new AdamW.Parameter("model.embed_tokens.weight", weights.embedding(), false));
        for (int i = 0; i < weights.layers().size(); i++) {
            TransformerWeights.Layer layer = weights.layers().get(i);
            String prefix = "model.layers." + i + ".";
            parameters.add(new AdamW.Parameter(prefix + "input_layernorm.weight", layer.attentionNorm(), false));
            parameters.add(new AdamW.Parameter(prefix + "self_attn.qkv_proj.weight", layer.queryKeyValue(), true));
            if (layer.queryKeyValueBias() != null) {
                parameters.add(new AdamW.Parameter(prefix + "self_attn.qkv_proj.bias", layer.queryKeyValueBias(), false));
            }
            parameters.add(new AdamW.Parameter(prefix + "self_attn.o_proj.weight", layer.output(), true));
            parameters.add(new AdamW.Parameter(prefix + "post_attention_layernorm.weight", layer.feedForwardNorm(), false));
            parameters.add(new AdamW.Parameter(prefix + "mlp.gate_up_proj.weight", layer.gateUp(), true));
            parameters.add(new AdamW.Parameter(prefix + "mlp.down_proj.weight", layer.down(), true));
        }
        parameters.add(new AdamW.Parameter("model.norm.weight", weights.finalNorm(), false));
        if (weights.head() != weights.embedding()) {
            parameters.add(new AdamW.Parameter("lm_head.weight", weights.head(), true));
        }
        return parameters;
    }

    /** One run: the model, its optimizer and the data, from the first step to the last. */
    private static final class Run {
        private final ModelConfig config;
        private final NDManager manager;
        private final Path tokenizerFile;
        private final TrainingBatches batches;
        private final int examples;
        private final TrainingOptions options;
        private final TrainingProgress progress;
        private final Engine engine;
        private final int totalSteps;
        private final TransformerWeights weights;
        private final Transformer transformer;
        private final AdamW optimizer;
        private final LearningRateSchedule schedule;
        private final int firstStep;

        Run(ModelConfig config, NDManager manager, Path tokenizerFile, TrainingBatches batches, int examples,
            TrainingOptions options, Path initialWeights, TrainingProgress progress) {
            this.config = config;
            this.manager = manager;
            this.tokenizerFile = tokenizerFile;
            this.batches = batches;
            this.examples = examples;
            this.options = options;
            this.progress = progress;
            this.engine = manager.getEngine();
            this.totalSteps = options.steps() > 0 ? options.steps() : options.epochs() * batches.batchesPerEpoch();
            Path resume = options.resumeFrom();
            weights = TransformerWeights.random(config, manager, options.seed(), INITIALIZER_RANGE);
            if (resume == null && initialWeights != null) {
                ModelConfig saved = ModelConfig.read(initialWeights.resolve("config.json"));
                if (!saved.equals(config)) {
                    throw new IllegalArgumentException("cannot start from " + initialWeights + ": its config.json ("
                            + saved + ") is not the model being trained (" + config + ")");
                }
                copyCheckpoint(initialWeights, weights);
            }
            if (resume != null) {
                ModelConfig saved = ModelConfig.read(resume.resolve("config.json"));
                if (!saved.equals(config)) {
                    throw new IllegalArgumentException("cannot resume from " + resume + ": its config.json (" + saved
                            + ") is not the model being trained (" + config + ")");
                }
                copyCheckpoint(resume, weights);
            }
            List<AdamW.Parameter> parameters = parametersOf(weights);
            parameters.forEach(parameter -> parameter.value().setRequiresGradient(true));
            optimizer = new AdamW(parameters, BETA1, BETA2, EPSILON, options.weightDecay());
            firstStep = resume == null ? 0 : resumeState(resume);
            if (options.warmupSteps() > totalSteps) {
                log.warn("Warm-up ({} steps) is longer than the run ({} steps): the learning rate never reaches {}",
                        options.warmupSteps(), totalSteps, options.learningRate());
            }
            transformer = Transformer.create(weights, options.sequenceLength(), manager);
            schedule = new LearningRateSchedule(options.learningRate(), options.minLearningRate(),
                    options.warmupSteps(), totalSteps);
        }

        /**
         * Copies a checkpoint's weights into {@code target}. Not loaded directly: an f32 array loaded on the CPU may be
         * a view of the checkpoint's read-only memory mapping, and training writes the weights in place.
         */
        private void copyCheckpoint(Path resume, TransformerWeights target) {
            try (NDManager scratch = manager.newSubManager(); Checkpoint checkpoint = Checkpoint.open(resume)) {
                List<AdamW.Parameter> saved = parametersOf(TransformerWeights.load(checkpoint, config, scratch, DataType.FLOAT32));
                List<AdamW.Parameter> owned = parametersOf(target);
                for (int i = 0; i < owned.size(); i++) {
                    saved.get(i).value().copyTo(owned.get(i).value());
                }
            }
        }

        /** Reads the optimizer and trainer state of a checkpoint; checks that it was made with this data layout. */
        private int resumeState(Path resume) {
            Path stateFile = resume.resolve(TRAINER_STATE);
            JsonNode state;
            try {
                state = JSON.readTree(stateFile.toFile());
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot resume from " + resume + ": " + stateFile + " cannot be read ("
                        + e.getMessage() + ")", e);
            }
            Map<String, Long> expected = Map.of(
                    "seed", options.seed(),
                    "batch_size", (long) options.batchSize(),
                    "sequence_length", (long) options.sequenceLength(),
                    "rows", (long) batches.rows());
            for (Map.Entry<String, Long> entry : expected.entrySet()) {
                long saved = state.path(entry.getKey()).asLong(Long.MIN_VALUE);
                if (saved != entry.getValue()) {
                    throw new IllegalArgumentException("cannot resume from " + resume + ": it was trained with "
                            + entry.getKey() + " " + (saved == Long.MIN_VALUE ? "(missing)" : saved) + ", this run has "
                            + entry.getValue() + "; resuming needs the same data, seed and batch layout");
                }
            }
            if (state.path("pack").asBoolean() != options.pack()) {
                throw new IllegalArgumentException("cannot resume from " + resume + ": packing differs from the run that wrote it");
            }
            int step = state.path("step").asInt(-1);
            if (step < 0) {
                throw new IllegalArgumentException("cannot resume from " + resume + ": " + stateFile + " has no \"step\"");
            }
            if (step >= totalSteps) {
                throw new IllegalArgumentException("cannot resume from " + resume + ": it has done " + step
                        + " steps and this run has " + totalSteps + " in all");
            }
            optimizer.read(resume.resolve(OPTIMIZER_STATE));
            return step;
        }

        TrainingSummary train(Path output) {
            progress.onStart(new TrainingProgress.Plan(config, examples, batches.dropped(), batches.rows(),
                    batches.batchesPerEpoch(), firstStep, totalSteps, manager.getDevice().toString()));
            long start = System.nanoTime();
            long tokens = 0;
            double windowLoss = 0;
            int windowSteps = 0;
            double lastLoss = Double.NaN;
            for (int step = firstStep; step < totalSteps; step++) {
                double learningRate = schedule.at(step);
                StepResult result = step(step, learningRate);
                tokens += result.tokens();
                lastLoss = result.loss();
                windowLoss += result.loss();
                windowSteps++;
                int done = step + 1;
                if (done % options.logEvery() == 0 || done == totalSteps) {
                    long elapsed = System.nanoTime() - start;
                    double seconds = elapsed / 1e9;
                    long remaining = (long) ((double) elapsed / (done - firstStep) * (totalSteps - done));
                    progress.onStep(new TrainingProgress.Report(done, totalSteps, step / batches.batchesPerEpoch() + 1,
                            windowLoss / windowSteps, learningRate, result.gradientNorm(), tokens, tokens / seconds,
                            Duration.ofNanos(elapsed), Duration.ofNanos(remaining)));
                    windowLoss = 0;
                    windowSteps = 0;
                }
                if (options.checkpointEvery() > 0 && done % options.checkpointEvery() == 0 && done < totalSteps) {
                    Path directory = output.resolve(String.format("checkpoint-%d", done));
                    writeModel(directory);
                    optimizer.write(directory.resolve(OPTIMIZER_STATE));
                    writeTrainerState(directory.resolve(TRAINER_STATE), done);
                    progress.onCheckpoint(done, directory);
                }
            }
            Duration time = Duration.ofNanos(System.nanoTime() - start);
            writeModel(output);
            progress.onCheckpoint(totalSteps, output);
            double seconds = Math.max(time.toNanos() / 1e9, 1e-9);
            log.info("Trained {} steps in {} s ({} tokens/s); final loss {}", totalSteps - firstStep,
                    String.format("%.1f", seconds), String.format("%.0f", tokens / seconds), lastLoss);
            return new TrainingSummary(totalSteps - firstStep, lastLoss, tokens, tokens / seconds, time, output);
        }

        private record StepResult(double loss, double gradientNorm, int tokens) {}

        /** Forward, backward, clip and update on the batch of {@code index}; every array it makes dies with it. */
        private StepResult step(int index, double learningRate) {
            TrainingBatches.Batch batch = batches.batch(index);
            try (NDManager step = manager.newSubManager()) {
                Shape shape = new Shape(batch.rows(), batch.length());
                NDArray tokens = step.create(batch.tokens(), shape);
                NDArray positions = step.create(batch.positions(), shape);
                NDArray mask = step.create(batch.mask(), new Shape(batch.rows(), 1, 1, batch.length(), batch.length()));
                float loss;
                try (GradientCollector collector = engine.newGradientCollector()) {
                    // logits: [B, T, V]
                    NDArray lossArray = NextTokenLoss.of(transformer.forward(tokens, positions, mask), batch, step);
                    collector.backward(lossArray);
                    loss = lossArray.getFloat();
                }
                List<NDArray> gradients = NextTokenLoss.gradients(optimizer, step);
                double norm = GradientClipping.clipByGlobalNorm(gradients, options.clipNorm());
                if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
                    List<String> culprits = new ArrayList<>();
                    for (int i = 0; i < gradients.size(); i++) {
                        if (!Float.isFinite(gradients.get(i).square().sum().getFloat())) {
                            culprits.add(optimizer.parameters().get(i).name());
                        }
                    }
                    throw new IllegalStateException("training diverged at step " + (index + 1) + ": loss " + loss
                            + ", gradient norm " + norm + " (not finite for " + culprits + ") at learning rate "
                            + learningRate + "; try a lower learning rate or more warm-up steps");
                }
                optimizer.update(gradients, learningRate, step);
                // PyTorch adds each backward pass to the stored gradients: clear them for the next step
                gradients.forEach(gradient -> gradient.muli(0));
                return new StepResult(loss, norm, batch.realTokens());
            }
        }

        /** config.json, model.safetensors (f32) and tokenizer.json in {@code directory}. */
        private void writeModel(Path directory) {
            try {
                Files.createDirectories(directory);
                config.write(directory.resolve("config.json"));
                Path tokenizer = directory.resolve("tokenizer.json");
                if (!Files.exists(tokenizer) || !Files.isSameFile(tokenizer, tokenizerFile)) {
                    Files.copy(tokenizerFile, tokenizer, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the model to " + directory + ": " + e.getMessage(), e);
            }
            // the copies the writer makes (to the CPU, to f32) are made on the weights' manager: lend the weights to
            // a scratch manager meanwhile, so that the copies close with it
            try (NDManager scratch = manager.newSubManager()) {
                optimizer.parameters().forEach(parameter -> parameter.value().tempAttach(scratch));
                weights.write(directory.resolve(Checkpoint.SINGLE_FILE), DType.F32);
            }
        }

        private void writeTrainerState(Path file, int step) {
            ObjectNode state = JSON.createObjectNode();
            state.put("step", step);
            state.put("total_steps", totalSteps);
            state.put("seed", options.seed());
            state.put("batch_size", options.batchSize());
            state.put("sequence_length", options.sequenceLength());
            state.put("pack", options.pack());
            state.put("rows", batches.rows());
            try {
                Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state) + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
