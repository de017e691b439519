// The per-call router: the base model's hidden state of the prompt, scored against each expert (exemplar
// centroids, or a trained softmax regression), top-k.
package io.synod.solvers.experts;

import io.synod.adapters.experts.ExpertCard;
import io.synod.adapters.experts.Gating;
import io.synod.adapters.experts.Gating.Weight;
import io.synod.adapters.experts.LinearGate;
import io.synod.solvers.answering.ExpertChoice;
import io.synod.solvers.answering.ModelSolver;
import io.synod.solvers.model.LanguageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The gate over experts of one {@link ModelSolver}. For a prompt, {@code h} = the base model's mean-pooled state
 * after a number of decoder layers ({@link io.synod.solvers.model.LanguageModel#hiddenStates(List,
 * io.synod.solvers.model.LanguageModel.Pooling, int)}; after none, the token embeddings, a table lookup in Java).
 * Two gates read it:
 * <ul>
 *   <li>the <b>similarity</b> gate: each expert's score is {@code cos(h, c_i)} with {@code c_i} the centroid of its
 *       exemplar inputs ({@link ModelSolver#centroid(String, int)}), the gate {@code softmax(scores / T)};</li>
 *   <li>the <b>trained</b> gate: {@code softmax(W z + b)}, a softmax regression kept beside the adapters
 *       ({@link LinearGate}), fit on the experts' exemplars and similar training examples, after Yang et al.
 *       2024's trained router.</li>
 * </ul>
 * The top k are kept and renormalised ({@link Gating}). Top-1 applies one adapter; top-k applies
 * {@code sum_i g_i s_i (x A_i^T) B_i^T} in one forward pass (the mixture spec the decision writes,
 * {@link GateDecision#spec()}).
 *
 * <p>Thread-safe: its state is fixed at creation; the model computes hidden states concurrently with its calls.
 */
public final class ExpertGate {

    private final ModelSolver model;
    private final GateOptions options;
    private final List<String> experts;
    private final List<float[]> centroids;   // the similarity gate's; empty for the trained gate
    private final LinearGate trained;        // null for the similarity gate
    private final int layers;
    private final LanguageModel.Pooling pooling;

    private ExpertGate(ModelSolver model, GateOptions options, List<String> experts, List<float[]> centroids,
                       LinearGate trained, int layers, LanguageModel.Pooling pooling) {
        this.model = model;
        this.options = options;
        this.experts = experts;
        this.centroids = centroids;
        this.trained = trained;
        this.layers = layers;
        this.pooling = pooling;
    }

    /**
     * A gate over {@code options.experts()} (or, when empty, every expert the gate knows), of the kind the options
     * ask for: {@link GateOptions.Kind#AUTO} takes the trained gate when the model has one whose experts are all
     * resident and include the ones asked for, and the similarity gate otherwise.
     *
     * @throws IllegalArgumentException naming an expert that is not resident or has no exemplars, when no expert
     *                                  can be routed to, or when the trained gate is asked for and there is none
     *                                  that covers the experts
     */
    public static ExpertGate of(ModelSolver model, GateOptions options) {
        java.util.Optional<LinearGate> gate = model.trainedGate();
        String unusable = gate.isPresent() ? unusable(model, gate.get(), options)
                : "the adapters have no trained gate (" + LinearGate.FILE + " beside them)";
        if (options.kind() == GateOptions.Kind.TRAINED && unusable != null) {
            throw new IllegalArgumentException("the trained gate cannot route: " + unusable
                    + "; use the similarity gate instead");
        }
        if (options.kind() != GateOptions.Kind.SIMILARITY && unusable == null) {
            LinearGate trained = gate.orElseThrow();
            List<String> experts = options.experts().isEmpty() ? trained.experts() : options.experts();
            return new ExpertGate(model, options, List.copyOf(experts), List.of(), trained, trained.layers(),
                    LanguageModel.Pooling.parse(trained.pooling()));
        }
        List<String> experts = new ArrayList<>(options.experts());
        if (experts.isEmpty()) {
            for (String name : model.experts()) {
                if (model.card(name).map(card -> !card.exemplars().isEmpty()).orElse(false)) {
                    experts.add(name);
                }
            }
            if (experts.isEmpty()) {
                throw new IllegalArgumentException("no resident expert has exemplars to route by (an " + ExpertCard.FILE
                        + " beside its adapter); resident experts are " + model.experts());
            }
        }
        int modelLayers = model.model().config().layers();
        int layers = options.layers() < 0 ? modelLayers : options.layers();
        if (layers > modelLayers) {
            throw new IllegalArgumentException("the gate's layers is " + layers + " but the model has " + modelLayers);
        }
        List<float[]> centroids = new ArrayList<>();
        for (String name : experts) {
            centroids.add(model.centroid(name, layers));
        }
        return new ExpertGate(model, options, List.copyOf(experts), List.copyOf(centroids), null, layers,
                LanguageModel.Pooling.MEAN);
    }

    /** Why the trained gate cannot route among the experts asked for, or null when it can. */
    private static String unusable(ModelSolver model, LinearGate trained, GateOptions options) {
        for (String expert : trained.experts()) {
            if (!model.hasExpert(expert)) {
                return "it routes among " + trained.experts() + " but '" + expert + "' is not resident";
            }
        }
        for (String expert : options.experts()) {
            if (!trained.experts().contains(expert)) {
                return "it was fit on " + trained.experts() + ", not on '" + expert + "'";
            }
        }
        LanguageModel.Pooling pooling;
        try {
            pooling = LanguageModel.Pooling.parse(trained.pooling());
        } catch (IllegalArgumentException e) {
            return "its " + e.getMessage();
        }
        if (trained.size() != pooling.size(model.model().config().hiddenSize())
                || trained.layers() > model.model().config().layers()) {
            return "it was fit on another model's states (" + trained.size() + " wide after " + trained.layers()
                    + " layers)";
        }
        return null;
    }

    /** The experts routed among, in order. */
    public List<String> experts() {
        return experts;
    }

    public GateOptions options() {
        return options;
    }

    /** Which gate this is: {@code trained} or {@code similarity}. */
    public String kind() {
        return trained != null ? GateOptions.Kind.TRAINED.label() : GateOptions.Kind.SIMILARITY.label();
    }

    /** The decoder layers of the state the gate reads (0: the token embeddings). */
    public int layers() {
        return layers;
    }

    /** The gate's decision for a prompt. */
    public GateDecision route(String prompt) {
        long start = System.nanoTime();
        float[] state = model.model().hiddenStates(List.of(prompt), pooling, layers).get(0);
        List<Weight> probabilities = trained != null ? restrict(trained.probabilities(state))
                : Gating.probabilities(state, experts, centroids, options.temperature());
        List<Weight> kept = Gating.topK(probabilities, options.topK());
        return GateDecision.of(probabilities, kept, System.nanoTime() - start);
    }

    /** The trained gate's probabilities over the experts routed among, renormalised when they are fewer. */
    private List<Weight> restrict(List<Weight> probabilities) {
        if (experts.size() == trained.experts().size()) {
            return probabilities;
        }
        List<Weight> kept = probabilities.stream().filter(weight -> experts.contains(weight.expert())).toList();
        double sum = kept.stream().mapToDouble(Weight::weight).sum();
        return kept.stream().map(weight -> new Weight(weight.expert(), weight.weight() / sum)).toList();
    }

    /** The task an expert was trained for: its card's {@code task}, or its name. */
    public String taskOf(String expert) {
        return model.card(expert).map(ExpertCard::task).orElse(expert);
    }

    /**
     * The routed choice of a role whose sub-task is {@code task}: each call's prompt is routed, and every decision
     * goes to {@code listener} (null for none) as a {@link RoutedCall}.
     */
    public ExpertChoice choice(String task, Consumer<RoutedCall> listener) {
        return ExpertChoice.routed(prompt -> {
            GateDecision decision = route(prompt);
            if (listener != null) {
                listener.accept(new RoutedCall(task, decision, taskOf(decision.top()), prompt));
            }
            return decision.spec();
        });
    }
}
