// LoRA adapter training: the base model frozen, A and B trained with DJL autograd, saved in PEFT's format.
package io.synod.solvers.training.lora;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.synod.adapters.lora.LoraAdapter;
import io.synod.adapters.lora.LoraConfig;
import io.synod.adapters.lora.LoraModule;
import io.synod.adapters.lora.TargetModules;
import io.synod.adapters.safetensors.Checkpoint;
import io.synod.solvers.model.ModelConfig;
import io.synod.solvers.model.ModelFormatException;
import io.synod.solvers.model.TextTokenizer;
import io.synod.solvers.model.Transformer;
import io.synod.solvers.model.TransformerWeights;
import io.synod.solvers.training.AdamW;
import io.synod.solvers.training.GradientClipping;
import io.synod.solvers.training.LearningRateSchedule;
import io.synod.solvers.training.NextTokenLoss;
import io.synod.solvers.training.TokenizedExample;
import io.synod.solvers.training.Trainer;
import io.synod.solvers.training.TrainingBatches;
import io.synod.solvers.training.TrainingData;
import io.synod.solvers.training.TrainingOptions;
import io.synod.solvers.training.TrainingProgress;
import io.synod.solvers.training.TrainingSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a LoRA adapter (Hu et al. 2021) on a frozen base model and writes it as a PEFT adapter
 * ({@link LoraAdapter#write}) that {@code LanguageModel.materialise} applies to the unchanged base.
 *
 * <p>The base is loaded from its directory onto the run's device in float32 and never receives a gradient: only the
 * factors A and B of the targeted modules do ({@link TrainableAdapter}), through the unmerged path
 * {@code x W^T + s (x A^T) B^T} of {@link Transformer#forward(NDArray, NDArray, NDArray, io.synod.solvers.lora.LowRankUpdate)}.
 * Data, batches, loss (completion and end-of-sequence tokens only), clipping, warm-up and cosine schedule are the
 * base trainer's ({@link Trainer}); the optimizer is {@link AdamW} with HuggingFace Trainer's defaults for
 * fine-tuning, betas 0.9 and 0.999, epsilon 1e-8, and {@link TrainingOptions#weightDecay()} on A and B (the command
 * line's default for adapters is 0: decay pulls the factors, and for PiSSA the model, away from the base).
 *
 * <p>PiSSA: the run trains against the residual base {@code W - s B0 A0} (changed in this trainer's copy only). What
 * it saves must apply to the original W, so it converts the adapter as PEFT's
 * {@code save_pretrained(path_initial_model_for_weight_conversion=...)} does: {@code W_res + s B' A' =
 * W + s (B' A' - B0 A0)}, which is a LoRA of rank 2r, {@code A = [A'; A0]} and {@code B = [B', -B0]}, written with
 * {@code r = 2r} and {@code lora_alpha = 2 alpha} ({@code sqrt(2) alpha} with rsLoRA) so that s is unchanged.
 * {@value #TRAINING_FILE} beside the adapter records the initialisation and the rank trained.
 *
 * <p>Lifecycle: {@link #open}, then one {@link #train}, then {@link #close()}. Intermediate checkpoints
 * ({@link TrainingOptions#checkpointEvery()}) are complete adapters in {@code output/checkpoint-<step>}; resuming is
 * not supported. One run per process at a time (DJL has one gradient collector). Not thread-safe.
 */
public final class AdapterTrainer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdapterTrainer.class);

    /** What a run records beside the adapter: initialisation, ranks, steps, seed and final loss. */
    public static final String TRAINING_FILE = "adapter_training.json";

    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPSILON = 1e-8;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path baseDirectory;
    private final AdapterOptions adapterOptions;
    private final TrainingOptions options;
    private final ModelConfig config;
    private final TextTokenizer tokenizer;
    private final NDManager manager;
    private final int previousThreads;
    private final TransformerWeights base;
    private final Transformer transformer;
    private final TrainableAdapter adapter;
    private final AdamW optimizer;
    private boolean trained;

    private AdapterTrainer(Path baseDirectory, AdapterOptions adapterOptions, TrainingOptions options, ModelConfig config,
                           TextTokenizer tokenizer, NDManager manager, int previousThreads) {
        this.baseDirectory = baseDirectory;
        this.adapterOptions = adapterOptions;
        this.options = options;
        this.config = config;
        this.tokenizer = tokenizer;
        this.manager = manager;
        this.previousThreads = previousThreads;
        try (Checkpoint checkpoint = Checkpoint.open(baseDirectory)) {
            base = TransformerWeights.load(checkpoint, config, manager, DataType.FLOAT32);
        }
        LoraConfig loraConfig = new LoraConfig(adapterOptions.rank(), adapterOptions.alpha(),
                new TargetModules.Names(adapterOptions.targets()), adapterOptions.rsLora(), false, Map.of(), Map.of(),
                List.of(), baseDirectory.toString());
        List<LoraModule> initial = switch (adapterOptions.initialisation()) {
            case STANDARD -> AdapterInitialisation.standard(config, adapterOptions, options.seed());
            case PISSA -> AdapterInitialisation.principal(base, adapterOptions, options.seed());
        };
        adapter = new TrainableAdapter(LoraAdapter.of(adapterOptions.name(), loraConfig, initial), config, manager);
        optimizer = new AdamW(adapter.parameters(), BETA1, BETA2, EPSILON, options.weightDecay());
        transformer = Transformer.create(base, options.sequenceLength(), manager);
    }

    /**
     * Loads the base model ({@code config.json}, safetensors weights, {@code tokenizer.json}) onto the device the
     * options choose and initialises the adapter (for PiSSA, by a truncated SVD of every targeted weight).
     *
     * @throws IllegalArgumentException if the options do not fit the base (sequence length beyond its positions, a
     *     PiSSA rank beyond a module's width), or ask to resume
     * @throws ModelFormatException if the base directory is not a model this runtime reads
     */
    public static AdapterTrainer open(Path baseDirectory, AdapterOptions adapter, TrainingOptions options) {
        if (options.resumeFrom() != null) {
            throw new IllegalArgumentException("resuming is not supported for adapters (got " + options.resumeFrom()
                    + "); start the run afresh");
        }
        if (!Files.isDirectory(baseDirectory)) {
            throw new ModelFormatException(baseDirectory, null, "is not a model directory; expected config.json,"
                    + " safetensors weights and tokenizer.json");
        }
        ModelConfig config = ModelConfig.read(baseDirectory.resolve("config.json"));
        if (options.sequenceLength() > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("sequence length " + options.sequenceLength() + " exceeds the base model's"
                    + " max_position_embeddings " + config.maxPositionEmbeddings() + "; lower the sequence length");
        }
        Engine engine = Engine.getEngine("PyTorch");
        TextTokenizer tokenizer = TextTokenizer.load(baseDirectory.resolve("tokenizer.json"), config.vocabularySize());
        // the thread count is the process's: set it for the run, put it back on close
        int previousThreads = JniUtils.getNumThreads();
        if (options.threads() > 0) {
            JniUtils.setNumThreads(options.threads());
        }
        NDManager manager = null;
        try {
            manager = engine.newBaseManager(Trainer.chooseDevice(engine, options.device()));
            AdapterTrainer trainer = new AdapterTrainer(baseDirectory, adapter, options, config, tokenizer, manager,
                    previousThreads);
            log.info("Adapter '{}': {} initialisation of rank {} on {} of {}", adapter.name(),
                    adapter.initialisation().label(), adapter.rank(), adapter.targets(), baseDirectory);
            return trainer;
        } catch (RuntimeException e) {
            if (manager != null) {
                manager.close();
            }
            tokenizer.close();
            if (options.threads() > 0) {
                JniUtils.setNumThreads(previousThreads);
            }
            throw e;
        }
    }

    /**
     * Trains an adapter on {@code baseDirectory} and writes it to {@code output}: {@link #open}, {@link #train},
     * {@link #close()}.
     */
    public static TrainingSummary train(Path baseDirectory, TrainingData data, Path output, AdapterOptions adapter,
                                        TrainingOptions options, TrainingProgress progress) {
        try (AdapterTrainer trainer = open(baseDirectory, adapter, options)) {
            return trainer.train(data, output, progress);
        }
    }

    /** The base model's configuration. */
    public ModelConfig config() {
        return config;
    }

    /**
     * Runs the training and writes the adapter ({@value LoraAdapter#CONFIG_FILE}, {@value LoraAdapter#WEIGHTS_FILE},
     * {@value #TRAINING_FILE}) to {@code output}.
     *
     * @throws IllegalArgumentException if {@code output} holds an adapter already, or no example has a token to learn
     * @throws IllegalStateException if called twice, or the loss or gradients stop being finite
     */
    public TrainingSummary train(TrainingData data, Path output, TrainingProgress progress) {
        if (trained) {
            throw new IllegalStateException("this trainer has run already; open a new one");
        }
        if (Files.exists(output.resolve(LoraAdapter.WEIGHTS_FILE))) {
            throw new IllegalArgumentException(output + " already holds an adapter (" + LoraAdapter.WEIGHTS_FILE
                    + "); choose an empty directory");
        }
        List<TokenizedExample> examples = data.tokenize(tokenizer, config.eosTokenId());
        TrainingBatches batches = new TrainingBatches(examples, options.batchSize(), options.sequenceLength(),
                options.pack(), options.seed());
        if (batches.rows() == 0) {
            throw new IllegalArgumentException("no example has a token to learn within the sequence length of "
                    + options.sequenceLength() + " tokens");
        }
        trained = true;
        int totalSteps = options.steps() > 0 ? options.steps() : options.epochs() * batches.batchesPerEpoch();
        if (options.warmupSteps() > totalSteps) {
            log.warn("Warm-up ({} steps) is longer than the run ({} steps): the learning rate never reaches {}",
                    options.warmupSteps(), totalSteps, options.learningRate());
        }
        LearningRateSchedule schedule = new LearningRateSchedule(options.learningRate(), options.minLearningRate(),
                options.warmupSteps(), totalSteps);
        progress.onStart(new TrainingProgress.Plan(config, data.size(), batches.dropped(), batches.rows(),
                batches.batchesPerEpoch(), 0, totalSteps, manager.getDevice().toString()));
        long start = System.nanoTime();
        long tokens = 0;
        double windowLoss = 0;
        int windowSteps = 0;
        double lastLoss = Double.NaN;
        for (int step = 0; step < totalSteps; step++) {
            double learningRate = schedule.at(step);
            StepResult result = step(batches.batch(step), step, learningRate);
            tokens += result.tokens();
            lastLoss = result.loss();
            windowLoss += result.loss();
            windowSteps++;
            int done = step + 1;
            if (done % options.logEvery() == 0 || done == totalSteps) {
                long elapsed = System.nanoTime() - start;
                long remaining = (long) ((double) elapsed / done * (totalSteps - done));
                progress.onStep(new TrainingProgress.Report(done, totalSteps, step / batches.batchesPerEpoch() + 1,
                        windowLoss / windowSteps, learningRate, result.gradientNorm(), tokens, tokens / (elapsed / 1e9),
                        Duration.ofNanos(elapsed), Duration.ofNanos(remaining)));
                windowLoss = 0;
                windowSteps = 0;
            }
            if (options.checkpointEvery() > 0 && done % options.checkpointEvery() == 0 && done < totalSteps) {
                Path directory = output.resolve(String.format("checkpoint-%d", done));
                write(directory, done, result.loss());
                progress.onCheckpoint(done, directory);
            }
        }
        Duration time = Duration.ofNanos(System.nanoTime() - start);
        write(output, totalSteps, lastLoss);
        progress.onCheckpoint(totalSteps, output);
        double seconds = Math.max(time.toNanos() / 1e9, 1e-9);
        log.info("Trained adapter '{}' for {} steps in {} s ({} tokens/s); final loss {}", adapterOptions.name(),
                totalSteps, String.format("%.1f", seconds), String.format("%.0f", tokens / seconds), lastLoss);
        return new TrainingSummary(totalSteps, lastLoss, tokens, tokens / seconds, time, output);
    }

    private record StepResult(double loss, double gradientNorm, int tokens) {}

    /** Forward, backward, clip and update on one batch; every array it makes dies with it. */
    private StepResult step(TrainingBatches.Batch batch, int index, double learningRate) {
        try (NDManager step = manager.newSubManager()) {
            Shape shape = new Shape(batch.rows(), batch.length());
            NDArray tokens = step.create(batch.tokens(), shape);
            NDArray positions = step.create(batch.positions(), shape);
            NDArray mask = step.create(batch.mask(), new Shape(batch.rows(), 1, 1, batch.length(), batch.length()));
            float loss;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                // logits: [B, T, V], with the trainable low-rank updates
                NDArray lossArray = NextTokenLoss.of(transformer.forward(tokens, positions, mask, adapter), batch, step);
                collector.backward(lossArray);
                loss = lossArray.getFloat();
            }
            List<NDArray> gradients = NextTokenLoss.gradients(optimizer, step);
            double norm = GradientClipping.clipByGlobalNorm(gradients, options.clipNorm());
            if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
                throw new IllegalStateException("adapter training diverged at step " + (index + 1) + ": loss " + loss
                        + ", gradient norm " + norm + " at learning rate " + learningRate
                        + "; try a lower learning rate or more warm-up steps");
            }
            optimizer.update(gradients, learningRate, step);
            // PyTorch adds each backward pass to the stored gradients: clear them for the next step
            gradients.forEach(gradient -> gradient.muli(0));
            return new StepResult(loss, norm, batch.realTokens());
        }
    }

    /**
     * Logits of every position of one sequence from the model as it trains: the base as this run holds it (the
     * residual for PiSSA) plus the current factors. [T * vocab].
     *
     * @throws IllegalArgumentException if the sequence is empty or longer than the sequence length
     */
    public float[] logits(int[] ids) {
        int length = ids.length;
        if (length == 0 || length > options.sequenceLength()) {
            throw new IllegalArgumentException("a sequence of " + length + " tokens; expected 1 to "
                    + options.sequenceLength());
        }
        long[] tokens = new long[length];
        long[] positions = new long[length];
        float[] mask = new float[length * length];
        for (int t = 0; t < length; t++) {
            tokens[t] = ids[t];
            positions[t] = t;
            Arrays.fill(mask, t * length + t + 1, (t + 1) * length, Float.NEGATIVE_INFINITY);
        }
        try (NDManager call = manager.newSubManager()) {
            return transformer.forward(call.create(tokens, new Shape(1, length)), call.create(positions, new Shape(1, length)),
                    call.create(mask, new Shape(1, 1, 1, length, length)), adapter).toFloatArray();
        }
    }

    /**
     * The adapter as it is now, for the unchanged base model: the trained factors, or for PiSSA their rank-2r
     * conversion. This is what {@link #train} writes.
     */
    public LoraAdapter adapter() {
        LoraAdapter current = adapter.snapshot();
        return adapterOptions.initialisation() == AdapterOptions.Initialisation.PISSA
                ? forOriginalBase(current, adapter.initial())
                : current;
    }

    /** The factors as trained, for the base this run holds (the residual base for PiSSA). */
    LoraAdapter trainedFactors() {
        return adapter.snapshot();
    }

    /** The factors the run started from. */
    LoraAdapter initialFactors() {
        return adapter.initial();
    }

    /** The base weights the run trains against (for PiSSA, the residual); they never receive a gradient. */
    TransformerWeights base() {
        return base;
    }

    /**
     * A PiSSA adapter as a plain LoRA on the original base: {@code s B' A' - s B0 A0} as rank 2r with
     * {@code A = [A'; A0]}, {@code B = [B', -B0]}, and alpha scaled so that s stays the same.
     */
    static LoraAdapter forOriginalBase(LoraAdapter trained, LoraAdapter initial) {
        LoraConfig config = trained.config();
        LoraConfig doubled = new LoraConfig(2 * config.rank(),
                config.useRslora() ? config.alpha() * Math.sqrt(2) : 2 * config.alpha(), config.targets(),
                config.useRslora(), config.fanInFanOut(), Map.of(), Map.of(), config.layersToTransform(),
                config.baseModel());
        List<LoraModule> modules = new ArrayList<>();
        for (int i = 0; i < trained.modules().size(); i++) {
            LoraModule now = trained.modules().get(i);
            LoraModule start = initial.modules().get(i);
            if (!now.module().equals(start.module()) || now.rank() != start.rank()) {
                throw new IllegalArgumentException("the initial adapter does not match the trained one at " + now.module());
            }
            int rank = now.rank();
            int in = now.in();
            int out = now.out();
            float[] down = Arrays.copyOf(now.a(), 2 * rank * in);
            System.arraycopy(start.a(), 0, down, rank * in, rank * in);
            float[] up = new float[out * 2 * rank];
            for (int row = 0; row < out; row++) {
                for (int r = 0; r < rank; r++) {
                    up[row * 2 * rank + r] = now.b()[row * rank + r];
                    up[row * 2 * rank + rank + r] = -start.b()[row * rank + r];
                }
            }
            modules.add(LoraModule.of(now.module(), 2 * rank, (float) doubled.scaleFor(now.module()), in, out, down, up));
        }
        return LoraAdapter.of(trained.name(), doubled, modules);
    }

    /** The adapter for the unchanged base, and {@value #TRAINING_FILE}, in {@code directory}. */
    private void write(Path directory, int steps, double loss) {
        LoraAdapter saved = adapter();
        saved.write(directory);
        ObjectNode record = JSON.createObjectNode();
        record.put("name", adapterOptions.name());
        record.put("initialisation", adapterOptions.initialisation().label());
        record.put("trained_rank", adapterOptions.rank());
        record.put("saved_rank", saved.config().rank());
        if (adapterOptions.initialisation() == AdapterOptions.Initialisation.PISSA) {
            record.put("conversion", "PiSSA factors trained on the residual base W - s B0 A0, saved as the rank-2r LoRA"
                    + " A = [A'; A0], B = [B', -B0] (lora_alpha doubled, or times sqrt(2) with rsLoRA, so s is unchanged),"
                    + " which applies to the original base model");
        }
        record.put("scale", adapterOptions.scale());
        record.put("base_model", baseDirectory.toString());
        record.put("steps", steps);
        record.put("seed", options.seed());
        record.put("learning_rate", options.learningRate());
        record.put("final_loss", loss);
        Path file = directory.resolve(TRAINING_FILE);
        try {
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(record) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        adapter.close();
        manager.close();
        tokenizer.close();
        if (options.threads() > 0) {
            JniUtils.setNumThreads(previousThreads);
        }
    }
}
