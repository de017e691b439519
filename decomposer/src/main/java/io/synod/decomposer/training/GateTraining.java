// Fits the default model's trained gate: a softmax regression from the base model's embedding of a prompt to the
// expert trained for it, on each expert's exemplars plus the training examples most like them.
package io.synod.decomposer.training;

import io.synod.adapters.experts.ExpertCard;
import io.synod.adapters.experts.Gating;
import io.synod.adapters.experts.LinearGate;
import io.synod.kg.KnowledgeGraph;
import io.synod.solvers.model.LanguageModel;
import io.synod.solvers.model.RuntimeOptions;
import io.synod.solvers.training.TrainingExample;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * The trained gate of the default model ({@link LinearGate}, written as {@code adapters/gate.json}). After Yang et
 * al. 2024, who fit their router on the K-shot examples augmented with similar open data: each expert's examples are
 * its card's exemplars (the K shots) and the {@value #SIMILAR} examples of its task's training data most like them
 * (each exemplar in turn takes its nearest unused neighbour, by cosine, from a pool of {@value #POOL} drawn with the
 * seed), all labelled with the expert. The state is the base model's token embeddings ({@value #LAYERS} layers),
 * averaged over the prompt and over its closing tokens apart ({@link #POOLING}): on the default model it separates
 * the bank's tasks better than the last layer's states, and costs a table lookup per token.
 */
public final class GateTraining {

    /** The decoder layers of the state the gate reads. */
    public static final int LAYERS = 0;

    /** How the states of a prompt's tokens are pooled: the mean, and the mean of the closing tokens apart. */
    public static final LanguageModel.Pooling POOLING = LanguageModel.Pooling.MEAN_AND_END;

    /** Training examples added to each expert's exemplars. */
    public static final int SIMILAR = 64;

    /** Training examples of each task the similar ones are chosen from. */
    public static final int POOL = 2_000;

    private static final double L2 = 0.1;
    private static final int ITERATIONS = 300;

    private GateTraining() {
    }

    /**
     * Fits the gate over {@code cards} (name to card, each with exemplars).
     *
     * @param examplesOf the training examples of a task (a card's {@code task})
     * @throws IllegalArgumentException when a card has no exemplars
     */
    public static LinearGate fit(LanguageModel model, Map<String, ExpertCard> cards,
                                 Function<String, List<TrainingExample>> examplesOf, long seed) {
        List<LinearGate.Example> examples = new ArrayList<>();
        for (Map.Entry<String, ExpertCard> entry : cards.entrySet()) {
            String expert = entry.getKey();
            ExpertCard card = entry.getValue();
            if (card.exemplars().isEmpty()) {
                throw new IllegalArgumentException("expert '" + expert + "' has no exemplars to fit the gate on");
            }
            List<float[]> shots = model.hiddenStates(card.exemplarInputs(), POOLING, LAYERS);
            shots.forEach(state -> examples.add(new LinearGate.Example(state, expert)));
            Set<String> seen = new LinkedHashSet<>(card.exemplarInputs());
            List<String> pool = new ArrayList<>();
            List<TrainingExample> shuffled = new ArrayList<>(examplesOf.apply(card.task()));
            Collections.shuffle(shuffled, new Random(seed));
            for (TrainingExample example : shuffled) {
                if (pool.size() == POOL) {
                    break;
                }
                if (!example.prompt().isEmpty() && seen.add(example.prompt())) {
                    pool.add(example.prompt());
                }
            }
            List<float[]> states = model.hiddenStates(pool, POOLING, LAYERS);
            for (int index : nearest(shots, states, SIMILAR)) {
                examples.add(new LinearGate.Example(states.get(index), expert));
            }
        }
        String trainedOn = String.format(Locale.ROOT, "softmax regression (l2 %s, %d full-batch steps) on the base"
                + " model's token embeddings (pooled: %s) of %d prompts: each expert's %d card exemplars and the %d"
                + " examples of its task's training data nearest to them (from %,d drawn with seed %d)", L2, ITERATIONS,
                POOLING.label(), examples.size(), cards.values().iterator().next().exemplars().size(), SIMILAR, POOL, seed);
        return LinearGate.fit(List.copyOf(cards.keySet()), examples, L2, ITERATIONS).describedAs(LAYERS, POOLING.label(), trainedOn);
    }

    /** Up to {@code count} indices of {@code pool}: each shot in turn takes its nearest one not yet taken. */
    static List<Integer> nearest(List<float[]> shots, List<float[]> pool, int count) {
        List<List<Integer>> ranked = new ArrayList<>();
        for (float[] shot : shots) {
            List<Integer> order = new ArrayList<>();
            double[] similarity = new double[pool.size()];
            for (int i = 0; i < pool.size(); i++) {
                order.add(i);
                similarity[i] = Gating.cosine(shot, pool.get(i));
            }
            order.sort((a, b) -> Double.compare(similarity[b], similarity[a]));
            ranked.add(order);
        }
        Set<Integer> taken = new LinkedHashSet<>();
        int[] next = new int[shots.size()];
        int target = Math.min(count, pool.size());
        while (taken.size() < target) {
            for (int shot = 0; shot < shots.size() && taken.size() < target; shot++) {
                List<Integer> order = ranked.get(shot);
                while (next[shot] < order.size() && taken.contains(order.get(next[shot]))) {
                    next[shot]++;
                }
                if (next[shot] < order.size()) {
                    taken.add(order.get(next[shot]));
                }
            }
        }
        return List.copyOf(taken);
    }

    /**
     * Fits the gate of an existing default-model directory over its experts with cards, from the corpus the standard
     * recipe generates, and writes it to {@code adapters/gate.json}. {@code GateTraining <model directory> [seed]}.
     */
    public static void main(String[] args) {
        Path directory = Path.of(args[0]);
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 0;
        DefaultModelTraining.Recipe recipe = DefaultModelTraining.Recipe.standard().withSeed(seed);
        try (KnowledgeGraph graph = KnowledgeGraph.bundled();
             LanguageModel model = LanguageModel.load(directory.resolve("base"),
                     RuntimeOptions.defaults().withThreads(recipe.threads()))) {
            TrainingCorpus corpus = TrainingCorpus.generate(graph, recipe.questions(), seed);
            LinearGate gate = fit(model, cards(directory.resolve("adapters")), corpus::examples, seed);
            gate.write(directory.resolve("adapters"));
            System.out.println("wrote " + directory.resolve("adapters").resolve(LinearGate.FILE) + ": " + gate.trainedOn());
        }
    }

    /** The cards of the bank's experts present under {@code adapters}, in the bank's order. */
    static Map<String, ExpertCard> cards(Path adapters) {
        Map<String, ExpertCard> cards = new LinkedHashMap<>();
        for (String task : ExpertCards.tasks()) {
            ExpertCard.read(adapters.resolve(task)).ifPresent(card -> cards.put(task, card));
        }
        if (cards.isEmpty()) {
            throw new IllegalArgumentException(adapters + " holds no expert with a card (" + ExpertCard.FILE + ")");
        }
        return cards;
    }
}
