// A language model with its resident expert adapters: the model calls every solver makes (generate a line,
// choose among options, answer a question), each under a named expert.
package io.synod.solvers.answering;

import io.synod.adapters.experts.ExpertCard;
import io.synod.adapters.experts.Gating;
import io.synod.adapters.experts.LinearGate;
import io.synod.adapters.lora.LoraAdapter;
import io.synod.solvers.lora.AdapterMix;
import io.synod.solvers.lora.ResidentAdapter;
import io.synod.solvers.model.GenerationOptions;
import io.synod.solvers.model.GenerationResult;
import io.synod.solvers.model.LanguageModel;
import io.synod.solvers.model.LanguageModel.ContinuationScore;
import io.synod.solvers.model.RuntimeOptions;
import io.synod.solvers.model.TokenConstraint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A model and its experts. {@code expert == null} runs the base model alone; an expert is named, or a gated
 * mixture of experts is written {@code walk:0.91+decompose:0.09} (each resident expert and its gate weight: the
 * call applies {@code sum_i g_i s_i (x A_i^T) B_i^T} in one forward pass). Calls are serialised (one
 * model, one caller at a time): run one instance per thread that should infer in parallel. Experts can be
 * loaded and unloaded while the model serves ({@link #loadExpert}, {@link #unloadExpert}); an unload waits for
 * the call in progress. An expert's metadata ({@link ExpertCard}, {@code expert.json} beside its adapter) is read
 * with it when present. Counts the model calls it makes.
 */
public final class ModelSolver implements AutoCloseable {

    /** Longest answer or program line generated, in tokens (the byte-level default: characters). */
    public static final int MAX_LINE_TOKENS = 120;

    /** Highest LoRA rank an expert may have. */
    public static final int MAX_EXPERT_RANK = 64;

    private final LanguageModel model;
    /** Replaced, never changed in place (copy on write), so that {@link #experts()} reads it without the lock. */
    private volatile Map<String, ResidentAdapter> experts;
    /** Each resident expert's card (absent: none) and directory; replaced with {@link #experts}, under the lock. */
    private volatile Map<String, ExpertCard> cards;
    private volatile Map<String, Path> directories;
    /** Centroids of the experts' exemplar inputs by the layers of their states, computed on first use; guarded by this. */
    private final Map<String, Map<Integer, float[]>> centroids = new java.util.HashMap<>();
    /** The trained gate kept beside the adapters ({@link LinearGate#FILE}), if any. */
    private final java.util.Optional<LinearGate> trainedGate;
    private final AtomicLong calls = new AtomicLong();

    private ModelSolver(LanguageModel model, Map<String, ResidentAdapter> experts, Map<String, ExpertCard> cards,
                        Map<String, Path> directories) {
        this.model = model;
        this.experts = experts;
        this.cards = cards;
        this.directories = directories;
        this.trainedGate = java.util.Optional.empty();
    }

    private ModelSolver(LanguageModel model, Map<String, ResidentAdapter> experts, Map<String, ExpertCard> cards,
                        Map<String, Path> directories, java.util.Optional<LinearGate> trainedGate) {
        this.model = model;
        this.experts = experts;
        this.cards = cards;
        this.directories = directories;
        this.trainedGate = trainedGate;
    }

    /**
     * Loads the base model in {@code modelDirectory} and every adapter under {@code adapterDirectory} (one PEFT
     * adapter per sub-directory, named after it; {@code null} or a missing directory for none), and the trained gate
     * over them when the directory holds one ({@link LinearGate#FILE}).
     *
     * @throws IllegalArgumentException naming the file when the trained gate is malformed
     */
    public static ModelSolver load(Path modelDirectory, Path adapterDirectory, RuntimeOptions options) {
        LanguageModel model = LanguageModel.load(modelDirectory, options);
        Map<String, ResidentAdapter> experts = new LinkedHashMap<>();
        Map<String, ExpertCard> cards = new LinkedHashMap<>();
        Map<String, Path> directories = new LinkedHashMap<>();
        java.util.Optional<LinearGate> gate = java.util.Optional.empty();
        if (adapterDirectory != null && Files.isDirectory(adapterDirectory)) {
            try (Stream<Path> entries = Files.list(adapterDirectory)) {
                for (Path directory : entries.filter(Files::isDirectory).sorted().toList()) {
                    String name = directory.getFileName().toString();
                    ExpertCard.read(directory).ifPresent(card -> cards.put(name, card));
                    experts.put(name, model.materialise(LoraAdapter.read(name, directory), MAX_EXPERT_RANK));
                    directories.put(name, directory);
                }
                gate = LinearGate.read(adapterDirectory);
            } catch (IOException e) {
                model.close();
                throw new UncheckedIOException("cannot list the adapters in " + adapterDirectory + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                experts.values().forEach(ResidentAdapter::close);
                model.close();
                throw e;
            }
        }
        return new ModelSolver(model, experts, cards, directories, gate);
    }

    /** The trained gate read beside the adapters, if there was one: it names the experts it routes among. */
    public java.util.Optional<LinearGate> trainedGate() {
        return trainedGate;
    }

    public LanguageModel model() {
        return model;
    }

    /** The names of the resident experts. */
    public List<String> experts() {
        return List.copyOf(experts.keySet());
    }

    public boolean hasExpert(String name) {
        return experts.containsKey(name);
    }

    /** The metadata of a resident expert, when its directory holds an {@code expert.json}. */
    public java.util.Optional<ExpertCard> card(String name) {
        return java.util.Optional.ofNullable(cards.get(name));
    }

    /** The directory a resident expert was read from, or null when no expert of that name is resident. */
    public Path expertDirectory(String name) {
        return directories.get(name);
    }

    /**
     * The centroid of an expert's exemplar inputs: the mean of their unit-length mean-pooled hidden states under
     * the base model ({@link LanguageModel#meanHiddenStates}, {@link Gating#centroid}), computed once per resident
     * expert.
     *
     * @throws IllegalArgumentException when the expert is not resident or its card has no exemplars
     */
    public float[] centroid(String name) {
        return centroid(name, model.config().layers());
    }

    /**
     * As {@link #centroid(String)}, of the states after the first {@code layers} decoder layers
     * ({@link LanguageModel#hiddenStates(List, LanguageModel.Pooling, int)}; 0: the token embeddings).
     */
    public synchronized float[] centroid(String name, int layers) {
        float[] centroid = centroids.getOrDefault(name, Map.of()).get(layers);
        if (centroid != null) {
            return centroid;
        }
        if (!experts.containsKey(name)) {
            throw new IllegalArgumentException("no expert named '" + name + "' is resident; resident experts are "
                    + experts.keySet());
        }
        ExpertCard card = cards.get(name);
        if (card == null || card.exemplars().isEmpty()) {
            throw new IllegalArgumentException("expert '" + name + "' has no exemplars to route by: its directory "
                    + directories.get(name) + " needs an " + ExpertCard.FILE + " with exemplar inputs");
        }
        List<float[]> states = new ArrayList<>();
        for (String input : card.exemplarInputs()) {
            states.add(model.hiddenStates(List.of(input), LanguageModel.Pooling.MEAN, layers).get(0));
        }
        centroid = Gating.centroid(states);
        centroids.computeIfAbsent(name, key -> new java.util.HashMap<>()).put(layers, centroid);
        return centroid;
    }

    /**
     * Reads the PEFT adapter in {@code directory}, checks that it fits this model (rank at most
     * {@value #MAX_EXPERT_RANK}) and makes it resident as the expert {@code name}.
     *
     * @throws IllegalArgumentException when an expert of that name is already resident
     * @throws io.synod.adapters.lora.AdapterException when the directory holds no valid adapter for this model
     */
    public synchronized void loadExpert(String name, Path directory) {
        if (experts.containsKey(name)) {
            throw new IllegalArgumentException("expert '" + name + "' is already resident; unload it first");
        }
        java.util.Optional<ExpertCard> card = ExpertCard.read(directory);
        ResidentAdapter adapter = model.materialise(LoraAdapter.read(name, directory), MAX_EXPERT_RANK);
        Map<String, ResidentAdapter> changed = new LinkedHashMap<>(experts);
        changed.put(name, adapter);
        Map<String, ExpertCard> changedCards = new LinkedHashMap<>(cards);
        card.ifPresentOrElse(c -> changedCards.put(name, c), () -> changedCards.remove(name));
        Map<String, Path> changedDirectories = new LinkedHashMap<>(directories);
        changedDirectories.put(name, directory);
        cards = changedCards;
        directories = changedDirectories;
        experts = changed;
    }

    /**
     * Releases the expert {@code name}, after the call in progress (calls are serialised).
     *
     * @throws IllegalArgumentException when no expert of that name is resident
     */
    public synchronized void unloadExpert(String name) {
        if (!experts.containsKey(name)) {
            throw new IllegalArgumentException("no expert named '" + name + "' is resident; resident experts are "
                    + experts.keySet());
        }
        Map<String, ResidentAdapter> changed = new LinkedHashMap<>(experts);
        ResidentAdapter adapter = changed.remove(name);
        experts = changed;
        Map<String, ExpertCard> changedCards = new LinkedHashMap<>(cards);
        changedCards.remove(name);
        cards = changedCards;
        Map<String, Path> changedDirectories = new LinkedHashMap<>(directories);
        changedDirectories.remove(name);
        directories = changedDirectories;
        centroids.remove(name);
        adapter.close();
    }

    /** Model calls made so far. */
    public long calls() {
        return calls.get();
    }

    /** Greedy completion of one line: up to a newline or the end of sequence, stripped. */
    public synchronized String completeLine(String prompt, String expert) {
        calls.incrementAndGet();
        GenerationOptions options = GenerationOptions.greedy(MAX_LINE_TOKENS).withStopStrings(List.of("\n"))
                .withStopAtEos(true);
        GenerationResult result = model.generate(List.of(prompt), List.of(mix(expert)), options,
                io.synod.solvers.model.TokenListener.NONE).get(0);
        String text = result.text();
        int newline = text.indexOf('\n');
        return (newline >= 0 ? text.substring(0, newline) : text).strip();
    }

    /** {@link #completeLine} of several prompts under one expert, as one batch. */
    public synchronized List<String> completeLines(List<String> prompts, String expert) {
        if (prompts.isEmpty()) {
            return List.of();
        }
        calls.incrementAndGet();
        GenerationOptions options = GenerationOptions.greedy(MAX_LINE_TOKENS).withStopStrings(List.of("\n"))
                .withStopAtEos(true);
        List<GenerationResult> results = model.generate(prompts, java.util.Collections.nCopies(prompts.size(), mix(expert)),
                options, io.synod.solvers.model.TokenListener.NONE);
        List<String> lines = new ArrayList<>();
        for (GenerationResult result : results) {
            String text = result.text();
            int newline = text.indexOf('\n');
            lines.add((newline >= 0 ? text.substring(0, newline) : text).strip());
        }
        return lines;
    }

    /**
     * Greedy generation restricted to {@code candidates} (each a continuation of the prompt, ending at the end of
     * sequence): the model writes one of them, token by token, choosing at every branch. Returns it stripped.
     */
    public synchronized String chooseLine(String prompt, List<String> candidates, String expert) {
        calls.incrementAndGet();
        TokenConstraint constraint = model.constraint(candidates);
        // the longest candidate and the end of sequence: no more room is asked of the context than a line can take
        GenerationOptions options = GenerationOptions.greedy(constraint.longest() + 1).withStopAtEos(true)
                .withConstraint(constraint);
        GenerationResult result = model.generate(List.of(prompt), List.of(mix(expert)), options,
                io.synod.solvers.model.TokenListener.NONE).get(0);
        return result.text().strip();
    }

    /** The log-likelihood of each continuation after the prompt (one batched call). */
    public synchronized double[] score(String prompt, List<String> continuations, String expert) {
        calls.incrementAndGet();
        List<ContinuationScore> scores = model.score(prompt, continuations, mix(expert));
        double[] values = new double[scores.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = scores.get(i).logLikelihood();
        }
        return values;
    }

    /** The answer to a question with no help (strategy {@code direct}). */
    public String answerDirectly(String question, String expert) {
        return completeLine(AnswerPrompt.direct(question), expert);
    }

    /** The answer to a question given facts gathered by sub-questions (DaSLaM's re-answer). */
    public String answerWithFacts(String question, List<AnswerPrompt.Fact> facts, String expert) {
        return completeLine(AnswerPrompt.withFacts(question, facts), expert);
    }

    /** The adapters an expert name or mixture ({@code walk:0.91+decompose:0.09}) applies. */
    private AdapterMix mix(String expert) {
        if (expert == null) {
            return AdapterMix.none();
        }
        Map<String, ResidentAdapter> resident = experts;
        if (expert.indexOf(':') < 0 && expert.indexOf('+') < 0) {
            ResidentAdapter adapter = resident.get(expert);
            if (adapter == null) {
                throw new IllegalArgumentException("no expert named '" + expert + "'; resident experts are " + resident.keySet());
            }
            return AdapterMix.of(adapter);
        }
        List<AdapterMix.Part> parts = new ArrayList<>();
        for (String part : expert.split("\\+", -1)) {
            int colon = part.lastIndexOf(':');
            String name = colon < 0 ? part : part.substring(0, colon);
            float weight;
            try {
                weight = colon < 0 ? 1f : Float.parseFloat(part.substring(colon + 1));
            } catch (NumberFormatException e) {
                weight = Float.NaN;
            }
            if (!(weight > 0) || Float.isInfinite(weight)) {
                throw new IllegalArgumentException("'" + expert + "' is not a mixture of experts: '" + part
                        + "' should be name:weight with a positive weight, as in walk:0.91+decompose:0.09");
            }
            ResidentAdapter adapter = resident.get(name);
            if (adapter == null) {
                throw new IllegalArgumentException("the mixture '" + expert + "' names no resident expert '" + name
                        + "'; resident experts are " + resident.keySet());
            }
            parts.add(new AdapterMix.Part(adapter, weight));
        }
        return new AdapterMix(parts);
    }

    @Override
    public synchronized void close() {
        List<ResidentAdapter> adapters = new ArrayList<>(experts.values());
        experts = Map.of();
        cards = Map.of();
        directories = Map.of();
        adapters.forEach(ResidentAdapter::close);
        model.close();
    }
}
