// The per-call router: the base model's hidden state of the prompt against each expert's exemplar centroid,
// a tempered softmax, top-k.
package io.synod.solvers.experts;

import io.synod.adapters.experts.ExpertCard;
import io.synod.adapters.experts.Gating;
import io.synod.adapters.experts.Gating.Weight;
import io.synod.solvers.answering.ExpertChoice;
import io.synod.solvers.answering.ModelSolver;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A similarity gate over experts of one {@link ModelSolver}: for a prompt, {@code h} = the base model's
 * mean-pooled last hidden state ({@link io.synod.solvers.model.LanguageModel#meanHiddenStates}); each expert's
 * score is {@code cos(h, c_i)} with {@code c_i} the centroid of its exemplar inputs ({@link ModelSolver#centroid});
 * the gate is {@code softmax(scores / T)}; the top k are kept and renormalised ({@link Gating}). Top-1 applies one
 * adapter; top-k applies {@code sum_i g_i s_i (x A_i^T) B_i^T} in one forward pass (the mixture spec the
 * decision writes, {@link GateDecision#spec()}). Training-free, after the prototype routers of the LoRA-mixture
 * literature; the trained gate of Yang et al. 2024 is not here.
 *
 * <p>Thread-safe: its state is fixed at creation; the model computes hidden states concurrently with its calls.
 */
public final class ExpertGate {

    private final ModelSolver model;
    private final GateOptions options;
    private final List<String> experts;
    private final List<float[]> centroids;

    private ExpertGate(ModelSolver model, GateOptions options, List<String> experts, List<float[]> centroids) {
        this.model = model;
        this.options = options;
        this.experts = experts;
        this.centroids = centroids;
    }

    /**
     * A gate over {@code options.experts()} (or, when empty, every resident expert whose card has exemplars).
     *
     * @throws IllegalArgumentException naming an expert that is not resident or has no exemplars, or when no
     *                                  expert can be routed to
     */
    public static ExpertGate of(ModelSolver model, GateOptions options) {
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
        List<float[]> centroids = new ArrayList<>();
        for (String name : experts) {
            centroids.add(model.centroid(name));
        }
        return new ExpertGate(model, options, List.copyOf(experts), List.copyOf(centroids));
    }

    /** The experts routed among, in order. */
    public List<String> experts() {
        return experts;
    }

    public GateOptions options() {
        return options;
    }

    /** The gate's decision for a prompt. */
    public GateDecision route(String prompt) {
        long start = System.nanoTime();
        float[] state = model.model().meanHiddenState(prompt);
        List<Weight> probabilities = Gating.probabilities(state, experts, centroids, options.temperature());
        List<Weight> kept = Gating.topK(probabilities, options.topK());
        return GateDecision.of(probabilities, kept, System.nanoTime() - start);
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
                listener.accept(new RoutedCall(task, decision, taskOf(decision.top())));
            }
            return decision.spec();
        });
    }
}
