// The Knowledge Solver (KSL, Feng et al. 2023): a model walks the graph from the entities a question names,
// choosing at each hop a relation or to answer, and returns the answer with the path it took.
package io.synod.solvers.knowledge;

import io.synod.kg.KnowledgeGraph.Node;
import io.synod.adapters.experts.Gating;
import io.synod.solvers.answering.ExpertChoice;
import io.synod.solvers.answering.ModelSolver;
import io.synod.solvers.knowledge.WalkGraph.StartCandidate;
import io.synod.solvers.reasoning.Trace;
import io.synod.solvers.reasoning.Value;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Walks are greedy (one path, the option the model writes at each hop) or a beam (Think-on-Graph, Sun et al.
 * 2024: the {@code beamWidth} best partial paths by summed log-likelihood are kept; {@code answer} is the
 * explicit "enough to answer?" choice, and the walk ends when the best finished path beats every open one).
 * Each greedy decision is one constrained generation under the walk expert (a beam scores the options in
 * one batched call) and one trace event. Guards: at most
 * {@code maxHops} hops; no relation that leads straight back along the previous hop; a frontier of more
 * than {@value #MAX_FRONTIER} entities is not walked further (it can only be answered).
 *
 * <p>With a {@code minConfidence} above 0, each greedy decision among several options is also scored (the
 * chosen option's share of the options' likelihood); a choice less sure than that ends the walk unanswered
 * ("unsure at hop n"), so that the question is answered another way or honestly {@code unknown}.
 */
public final class KnowledgeSolver {

    /** The largest set of entities the walk continues from. */
    public static final int MAX_FRONTIER = 60;

    private final WalkGraph graph;
    private final ModelSolver model;
    private final ExpertChoice expert;
    private final int maxHops;
    private final double minConfidence;

    /** A walker that accepts every choice. */
    public KnowledgeSolver(WalkGraph graph, ModelSolver model, String expert, int maxHops) {
        this(graph, model, ExpertChoice.fixed(expert), maxHops, 0);
    }

    /**
     * A walker whose decisions run under {@code expert}: fixed, or routed per decision from its prompt.
     *
     * @param minConfidence the least confidence of a greedy choice among several options; 0 accepts every choice
     */
    public KnowledgeSolver(WalkGraph graph, ModelSolver model, ExpertChoice expert, int maxHops, double minConfidence) {
        if (maxHops < 1) {
            throw new IllegalArgumentException("a walk needs at least one hop, got maxHops " + maxHops);
        }
        if (!(minConfidence >= 0 && minConfidence < 1)) {
            throw new IllegalArgumentException("the least confidence must be at least 0 and below 1, got " + minConfidence);
        }
        this.graph = graph;
        this.model = model;
        this.expert = expert;
        this.maxHops = maxHops;
        this.minConfidence = minConfidence;
    }

    public WalkGraph graph() {
        return graph;
    }

    /**
     * The result of a walk: the answer values (empty when the walk found nothing), the relations taken, the
     * path as lines {@code Togo -currency-> West African CFA franc}, and why it ended.
     */
    public record WalkResult(List<Value> answer, List<String> relations, List<String> path, String outcome,
                             boolean none) {
        /** A walk that found nothing (an empty answer that is not {@link #none}). */
        public WalkResult(List<Value> answer, List<String> relations, List<String> path, String outcome) {
            this(answer, relations, path, outcome, false);
        }

        /**
         * True when the walk found an answer: values, or none (a relation the entity's type usually has and it
         * lacks, such as the borders of an island).
         */
        public boolean answered() {
            return !answer.isEmpty() || none;
        }
    }

    /**
     * Walks for {@code question}. When {@code start} holds entities (values with ids) the walk starts there;
     * otherwise the model chooses the start among the entities the question mentions.
     *
     * @param beamWidth 1 for the greedy walk, more for a beam
     */
    public WalkResult walk(String question, List<Value> start, int beamWidth, Trace trace, String stepId) {
        return walk(question, null, null, start, beamWidth, trace, stepId);
    }

    /**
     * As {@link #walk(String, List, int, Trace, String)}; when {@code name} is given (the name a decomposer chose
     * to ask about), the walk starts at the graph's most prominent entity of that name (exact matches first,
     * fuzzy ones for a name the graph does not know as written) rather than at a mention of the question the
     * model chooses; when {@code relation} is given too (the relation the decomposer's sub-question asks), at the
     * most prominent one that offers it ({@link WalkGraph#linkFor}). Which relation to follow is still the
     * walk's choice.
     */
    public WalkResult walk(String question, String name, String relation, List<Value> start, int beamWidth, Trace trace,
                           String stepId) {
        List<String> startIds = start.stream().map(Value::id).filter(id -> id != null).toList();
        if (startIds.isEmpty()) {
            Trace.Step step = trace.start(stepId + ".link", stepId, "kg", name == null ? question : name);
            // a name chosen by the decomposer links to its most prominent exact match (KSL links by matching) that
            // has the relation asked; from a whole question, the model chooses which of the things it mentions to
            // start from
            List<StartCandidate> candidates = name == null ? List.of() : graph.linkFor(name, relation).stream().toList();
            if (candidates.isEmpty()) {
                candidates = graph.startCandidates(question);
            }
            if (candidates.isEmpty()) {
                step.fail("no entity of the graph is named in \"" + question + "\"", null);
                return new WalkResult(List.of(), List.of(), List.of(), "no entity linked");
            }
            List<String> options = candidates.stream().map(StartCandidate::option).toList();
            Decision decision = choose(WalkPrompt.prompt(question, List.of(), "", List.of(), options), options);
            StartCandidate chosen = candidates.get(options.indexOf(decision.option()));
            step.finish(chosen.option(), decision.expert(), List.of());
            startIds = List.of(chosen.entity().id());
        }
        List<Node> startNodes = startIds.stream().map(id -> new Node(id, graph.label(id), false)).toList();
        return beamWidth <= 1 ? greedy(question, startNodes, trace, stepId) : beam(question, startNodes, beamWidth, trace, stepId);
    }

    private WalkResult greedy(String question, List<Node> start, Trace trace, String stepId) {
        Partial partial = new Partial(start, List.of(), List.of(), 0);
        for (int hop = 0; ; hop++) {
            List<String> options = options(partial, hop);
            Trace.Step step = trace.start(stepId + ".hop" + (hop + 1), stepId, "kg", describe(partial));
            String walkPrompt = prompt(question, partial, options);
            Decision decision = choose(walkPrompt, options);
            String choice = decision.option();
            if (minConfidence > 0 && options.size() > 1) {
                double confidence = confidence(walkPrompt, options, decision);
                if (confidence < minConfidence) {
                    String unsure = String.format(java.util.Locale.ROOT, "unsure at hop %d: the walk chose \"%s\" with"
                            + " confidence %.2f, below %.2f", hop + 1, choice, confidence, minConfidence);
                    step.fail(unsure, decision.expert());
                    return new WalkResult(List.of(), partial.relations, partial.path, unsure);
                }
            }
            if (choice.equals(WalkPrompt.ANSWER)) {
                step.finish(WalkPrompt.ANSWER, decision.expert(), partial.path);
                return finish(partial, "answered after " + hop + " hop" + (hop == 1 ? "" : "s"));
            }
            Partial from = partial;
            partial = extend(partial, choice, 0);
            step.finish(choice + " -> " + summary(partial.nodes), decision.expert(), partial.path);
            if (partial.nodes.isEmpty()) {
                // offered though the entities lack it: a relation their kind usually has (see options)
                if (!graph.options(entityIds(from)).contains(choice)) {
                    return new WalkResult(List.of(), partial.relations, partial.path, "none: " + summary(from.nodes)
                            + " has no " + choice + ", which its kind usually has", true);
                }
                return new WalkResult(List.of(), partial.relations, partial.path, "no entity along " + choice);
            }
        }
    }

    private WalkResult beam(String question, List<Node> start, int width, Trace trace, String stepId) {
        List<Partial> open = List.of(new Partial(start, List.of(), List.of(), 0));
        Partial best = null;
        for (int hop = 0; !open.isEmpty(); hop++) {
            List<Partial> next = new ArrayList<>();
            java.util.Set<String> used = new java.util.LinkedHashSet<>();
            for (Partial partial : open) {
                List<String> options = options(partial, hop);
                double[] scores = new double[] {0};
                if (options.size() > 1) {
                    String prompt = prompt(question, partial, options);
                    String chosen = expert.forPrompt(prompt);
                    if (chosen != null) {
                        used.add(chosen);
                    }
                    scores = model.score(prompt, options.stream().map(WalkPrompt::continuation).toList(), chosen);
                }
                for (int i = 0; i < options.size(); i++) {
                    double score = partial.score + scores[i];
                    if (options.get(i).equals(WalkPrompt.ANSWER)) {
                        if (best == null || score > best.score) {
                            best = new Partial(partial.nodes, partial.relations, partial.path, score);
                        }
                    } else {
                        next.add(new Partial(partial.nodes, partial.relations, partial.path, score).pending(options.get(i)));
                    }
                }
            }
            next.sort(Comparator.comparingDouble((Partial p) -> -p.score));
            List<Partial> kept = new ArrayList<>();
            for (Partial candidate : next) {
                if (kept.size() == width || best != null && candidate.score <= best.score) {
                    break;
                }
                Partial extended = extend(candidate.withoutPending(), candidate.pending, candidate.score);
                if (!extended.nodes.isEmpty()) {
                    kept.add(extended);
                }
            }
            String adapters = used.isEmpty() ? expert.withoutCall() : String.join(",", used);
            trace.start(stepId + ".beam" + (hop + 1), stepId, "kg", open.size() + " open paths")
                    .finish(kept.stream().map(p -> String.join(" > ", p.relations)).toList()
                            + (best == null ? "" : "; best finished: " + String.join(" > ", best.relations)), adapters,
                            best == null ? List.of() : best.path);
            open = kept;
        }
        if (best == null) {
            return new WalkResult(List.of(), List.of(), List.of(), "no path finished");
        }
        return finish(best, "best of the beam after " + best.relations.size() + " hops");
    }

    /**
     * The model's choice among options: it writes one of them (greedy decoding constrained to the options, so
     * each token is its most likely next one, as in training), rather than the option of highest total
     * likelihood, which favours short options.
     */
    private Decision choose(String prompt, List<String> options) {
        if (options.size() == 1) {
            return new Decision(options.get(0), expert.withoutCall());
        }
        String chosen = expert.forPrompt(prompt);
        String written = model.chooseLine(prompt, options.stream().map(WalkPrompt::continuation).toList(), chosen);
        int index = options.indexOf(written);
        return new Decision(index >= 0 ? options.get(index) : options.get(0), chosen);
    }

    /**
     * How sure the model is of a decision: the chosen option's share of the likelihood of all the options
     * (softmax over the options' log-likelihoods, one batched scoring call).
     */
    private double confidence(String prompt, List<String> options, Decision decision) {
        double[] scores = model.score(prompt, options.stream().map(WalkPrompt::continuation).toList(), decision.expert());
        return Gating.softmax(scores, 1)[options.indexOf(decision.option())];
    }

    /** An option chosen and the expert (or mixture) that chose it. */
    private record Decision(String option, String expert) {
    }

    /**
     * The options at a partial path: relations (not straight back, not from a huge frontier, not past the hop
     * limit), among them those the entities' kind usually has and they lack (a hop along one answers none), and
     * answer after the first hop.
     */
    private List<String> options(Partial partial, int hop) {
        List<String> options = new ArrayList<>();
        List<String> ids = entityIds(partial);
        if (hop < maxHops && !ids.isEmpty() && ids.size() <= MAX_FRONTIER) {
            String back = partial.relations.isEmpty() ? null : inverse(partial.relations.get(partial.relations.size() - 1));
            for (String option : graph.askable(ids)) {
                if (!option.equals(back)) {
                    options.add(option);
                }
            }
        }
        if (hop > 0 || options.isEmpty()) {
            options.add(WalkPrompt.ANSWER);
        }
        return options;
    }

    /**
     * The prompt shows every relation at the entities and {@code answer}, as the walk expert saw in training; the
     * guards (no step straight back, no answer before the first hop, the hop limit) restrict what may be chosen,
     * not what is shown.
     */
    private String prompt(String question, Partial partial, List<String> allowed) {
        List<String> labels = partial.nodes.stream().map(Node::label).toList();
        List<String> ids = entityIds(partial);
        Set<String> relations = new java.util.TreeSet<>(ids.isEmpty() || ids.size() > MAX_FRONTIER ? List.of() : graph.options(ids));
        for (String option : allowed) {
            if (!option.equals(WalkPrompt.ANSWER)) {
                relations.add(option);
            }
        }
        List<String> shown = new ArrayList<>(relations);
        shown.add(WalkPrompt.ANSWER);
        return WalkPrompt.prompt(question, labels, graph.kindOf(partial.nodes), partial.relations, shown);
    }

    private static List<String> entityIds(Partial partial) {
        return partial.nodes.stream().filter(node -> !node.literal()).map(Node::id).toList();
    }

    private Partial extend(Partial partial, String relation, double score) {
        List<String> ids = entityIds(partial);
        Set<String> seen = new HashSet<>(ids);
        List<Node> reached = graph.step(ids, relation).stream().filter(node -> node.literal() || !seen.contains(node.id())
                || relation.equals("borders")).toList();
        List<String> relations = new ArrayList<>(partial.relations);
        relations.add(relation);
        List<String> path = new ArrayList<>(partial.path);
        path.add(summary(partial.nodes) + " -" + relation + "-> " + summary(reached));
        return new Partial(reached, List.copyOf(relations), List.copyOf(path), score);
    }

    private WalkResult finish(Partial partial, String outcome) {
        List<Value> answer = partial.nodes.stream().map(graph::value).toList();
        return new WalkResult(answer, partial.relations, partial.path, outcome);
    }

    private static String describe(Partial partial) {
        return "at " + summary(partial.nodes) + (partial.relations.isEmpty() ? "" : " via " + String.join(" > ", partial.relations));
    }

    private static String summary(List<Node> nodes) {
        if (nodes.isEmpty()) {
            return "nothing";
        }
        List<String> labels = nodes.stream().limit(3).map(Node::label).toList();
        return String.join(", ", labels) + (nodes.size() > 3 ? " and " + (nodes.size() - 3) + " more" : "");
    }

    private static String inverse(String relation) {
        return relation.endsWith("-of") ? relation.substring(0, relation.length() - 3) : relation + "-of";
    }

    private static int argMax(double[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return best;
    }

    /** A path being walked: where it stands, how it got there, its summed log-likelihood. */
    private record Partial(List<Node> nodes, List<String> relations, List<String> path, double score, String pending) {
        Partial(List<Node> nodes, List<String> relations, List<String> path, double score) {
            this(nodes, relations, path, score, null);
        }

        Partial pending(String relation) {
            return new Partial(nodes, relations, path, score, relation);
        }

        Partial withoutPending() {
            return new Partial(nodes, relations, path, score, null);
        }
    }
}
