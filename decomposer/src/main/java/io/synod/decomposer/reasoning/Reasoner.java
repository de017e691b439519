// Answers questions with one of the strategies: decomposition, graph walk, DaSLaM or a direct model call,
// recording every step in the question's trace.
package io.synod.decomposer.reasoning;

import io.synod.decomposer.model.ModelDecomposer;
import io.synod.decomposer.model.SubQuestions;
import io.synod.decomposer.program.DecompHandler;
import io.synod.decomposer.program.ExecutedStep;
import io.synod.decomposer.program.ExecutionResult;
import io.synod.decomposer.program.HandlerException;
import io.synod.decomposer.program.HandlerRegistry;
import io.synod.decomposer.program.HandlerResult;
import io.synod.decomposer.program.ProgramExecutor;
import io.synod.decomposer.prompts.PromptLibrary;
import io.synod.decomposer.symbolic.SymbolicHandlers;
import io.synod.solvers.answering.AnswerPrompt;
import io.synod.solvers.answering.ExpertChoice;
import io.synod.solvers.answering.ModelSolver;
import io.synod.solvers.experts.ExpertGate;
import io.synod.solvers.experts.GateOptions;
import io.synod.solvers.experts.RoutedCall;
import io.synod.solvers.knowledge.KnowledgeSolver;
import io.synod.solvers.knowledge.KnowledgeSolver.WalkResult;
import io.synod.solvers.knowledge.WalkGraph;
import io.synod.solvers.reasoning.Trace;
import io.synod.solvers.reasoning.TraceEvent;
import io.synod.solvers.reasoning.Value;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The reasoning pipeline, synchronous and actor-free. Model decisions (the program's steps, the walk's
 * choices, direct and re-answers) are made by the model under the named experts; the graph and the symbolic
 * handlers compute. Handlers: {@code kg} (the knowledge solver), {@code lm} (the model answers the
 * sub-question directly), {@code count}, {@code compare}, {@code calc}, {@code union}, {@code intersect}
 * and {@code decomp} (a nested program for the sub-question). Calls are serialised on the model; one
 * instance serves one question at a time per model.
 */
public final class Reasoner {

    /** Questions longer than this are refused: they would not fit the model's context with a program. */
    public static final int MAX_QUESTION_LENGTH = 300;

    /**
     * The expert (adapter) each role uses; {@code null} runs the base model without an adapter. With
     * {@code fewShotDecomposer}, the decomposer is prompted with the prompt library's few-shot programs (for
     * a large instruct model loaded from a checkpoint) instead of the trained decomposition format.
     *
     * <p>With {@code routing}, no role has a fixed expert: every sub-question is routed by an {@link ExpertGate}
     * over the experts the options name (top-1, or a top-k mixture): each step the decomposer writes, each graph
     * walk (on the prompt of its first decision; its later decisions keep the choice), each direct answer and
     * each re-answer. The role's name is then only the label of its sub-task: routing accuracy counts a
     * decision as right when the gate's top expert was trained for it.
     */
    public record Experts(String decompose, String walk, String direct, String compose, boolean fewShotDecomposer,
                          GateOptions routing) {

        public Experts(String decompose, String walk, String direct, String compose, boolean fewShotDecomposer) {
            this(decompose, walk, direct, compose, fewShotDecomposer, null);
        }

        public static Experts standard() {
            return new Experts("decompose", "walk", "direct", "compose", false);
        }

        /** The base model alone in every role (the ablation of the experts). */
        public static Experts baseOnly() {
            return new Experts(null, null, null, null, false);
        }

        /** One expert in every role. */
        public static Experts everywhere(String expert) {
            return new Experts(expert, expert, expert, expert, false);
        }

        /** Every model call routed by the gate; the roles' sub-tasks are decompose, walk, direct and compose. */
        public static Experts routed(GateOptions routing) {
            return new Experts("decompose", "walk", "direct", "compose", false, java.util.Objects.requireNonNull(routing));
        }

        public boolean isRouted() {
            return routing != null;
        }
    }

    /** Each role's choice of expert for one question. */
    private record Choices(ExpertChoice decompose, ExpertChoice walk, ExpertChoice direct, ExpertChoice compose) {
    }

    private final ModelSolver model;
    private final WalkGraph graph;
    private final Experts experts;
    private final Consumer<RoutedCall> routingListener;
    private PromptLibrary library;
    private ExpertGate gate;

    public Reasoner(ModelSolver model, WalkGraph graph, Experts experts) {
        this(model, graph, experts, null);
    }

    /**
     * @param routingListener hears every routing decision when the experts are routed (null for none); called on
     *                        the asking thread
     */
    public Reasoner(ModelSolver model, WalkGraph graph, Experts experts, Consumer<RoutedCall> routingListener) {
        this.model = model;
        this.graph = graph;
        this.experts = experts;
        this.routingListener = routingListener;
    }

    public Experts experts() {
        return experts;
    }

    public ModelSolver model() {
        return model;
    }

    public WalkGraph graph() {
        return graph;
    }

    /**
     * Answers a question; every trace event also goes to {@code listener} as it happens.
     *
     * @throws IllegalArgumentException when the question is empty, too long or not text
     */
    public Answer ask(String question, AskOptions options, Consumer<TraceEvent> listener) {
        String text = validate(question);
        Trace trace = new Trace();
        if (listener != null) {
            trace.listen(listener);
        }
        Choices choices = choices();
        return switch (options.strategy()) {
            case DIRECT -> direct(text, trace, choices);
            case KSL -> walk(text, options, trace, Strategy.KSL, choices);
            case DECOMP -> decompose(text, options, trace, Strategy.DECOMP, false, choices);
            case AUTO -> decompose(text, options, trace, Strategy.AUTO, true, choices);
            case DASLAM -> daslam(text, options, trace, choices);
        };
    }

    /**
     * The roles' experts: fixed, or routed by the gate (built on first use: the experts' centroids are computed
     * once per model).
     *
     * @throws IllegalArgumentException when routing names experts that are not resident or have no exemplars
     */
    private Choices choices() {
        if (!experts.isRouted()) {
            return new Choices(ExpertChoice.fixed(experts.decompose()), ExpertChoice.fixed(experts.walk()),
                    ExpertChoice.fixed(experts.direct()), ExpertChoice.fixed(experts.compose()));
        }
        ExpertGate routed = gate();
        return new Choices(routed.choice(experts.decompose(), routingListener), routed.choice(experts.walk(), routingListener),
                routed.choice(experts.direct(), routingListener), routed.choice(experts.compose(), routingListener));
    }

    private synchronized ExpertGate gate() {
        if (gate == null) {
            gate = ExpertGate.of(model, experts.routing());
        }
        return gate;
    }

    /**
     * The choice of one sub-question that makes several model calls (a walk: its start, each hop, answer): routed
     * once, on the prompt of its first call, and kept for the others; what it chose is added to {@code used}.
     */
    private static ExpertChoice perSubQuestion(ExpertChoice choice, Set<String> used) {
        if (!choice.isRouted()) {
            return choice;
        }
        return ExpertChoice.routed(prompt -> {
            if (used.isEmpty()) {
                used.add(choice.forPrompt(prompt));
            }
            return used.iterator().next();
        });
    }

    /** What a step that made several calls records: the fixed expert, or the routed choices it made. */
    private static String recorded(ExpertChoice choice, Set<String> used) {
        return used.isEmpty() ? choice.withoutCall() : String.join(",", used);
    }

    public Answer ask(String question, AskOptions options) {
        return ask(question, options, null);
    }

    /** @return the question, stripped */
    public static String validate(String question) {
        if (question == null || question.isBlank()) {
            throw new IllegalArgumentException("the question is empty; ask something, e.g. \"What is the capital of Togo?\"");
        }
        String text = question.strip();
        if (text.length() > MAX_QUESTION_LENGTH) {
            throw new IllegalArgumentException("the question is " + text.length() + " characters long; at most "
                    + MAX_QUESTION_LENGTH + " are accepted");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\t' || c == '\uFFFD') {
                throw new IllegalArgumentException("the question is not plain text: it holds the control character U+"
                        + String.format(Locale.ROOT, "%04X", (int) c) + " at position " + i);
            }
        }
        if (text.chars().noneMatch(Character::isLetterOrDigit)) {
            throw new IllegalArgumentException("the question has no letters or digits: \"" + text + "\"");
        }
        return text;
    }

    private Answer direct(String question, Trace trace, Choices choices) {
        Trace.Step step = trace.start("1", null, "lm", question);
        String expert = choices.direct().forPrompt(AnswerPrompt.direct(question));
        String text = model.answerDirectly(question, expert);
        step.finish(text, expert, List.of());
        List<Value> values = text.isEmpty() ? List.of() : List.of(Value.of(text));
        return answer(question, Strategy.DIRECT, values, text.isEmpty() ? "the model gave no answer" : null, null,
                List.of(), trace);
    }

    private Answer walk(String question, AskOptions options, Trace trace, Strategy strategy, Choices choices) {
        Trace.Step step = trace.start("1", null, "kg", question);
        Set<String> used = new LinkedHashSet<>();
        KnowledgeSolver walker = new KnowledgeSolver(graph, model, perSubQuestion(choices.walk(), used), options.maxHops(),
                options.walkConfidence());
        WalkResult result = walker.walk(question, List.of(), options.beamWidth(), trace, "1");
        if (result.answered()) {
            step.finish(join(result.answer()), recorded(choices.walk(), used), result.path());
        } else {
            step.fail(result.outcome(), recorded(choices.walk(), used));
        }
        return answer(question, strategy, result.answer(), result.answer().isEmpty() ? result.outcome() : null, null,
                result.path(), trace);
    }

    private Answer decompose(String question, AskOptions options, Trace trace, Strategy strategy, boolean fallBack,
                             Choices choices) {
        ProgramExecutor executor = new ProgramExecutor(registry(options, choices, trace));
        ExecutionResult result = executor.run(question, decomposer(null, choices, trace), trace);
        List<String> paths = paths(trace);
        if (result.succeeded() && !result.answer().isEmpty()) {
            return answer(question, strategy, result.answer(), null, result.formattedProgram(), paths, trace);
        }
        String failure = result.succeeded() ? "the program's answer is empty" : result.error();
        if (fallBack) {
            trace.start("fallback", null, "auto", "decomposition failed: " + failure)
                    .finish("walking the graph from the question instead", null, List.of());
            KnowledgeSolver walker = new KnowledgeSolver(graph, model, perSubQuestion(choices.walk(),
                    new LinkedHashSet<>()), options.maxHops(), options.walkConfidence());
            WalkResult walk = walker.walk(question, List.of(), options.beamWidth(), trace, "fallback");
            if (!walk.answer().isEmpty()) {
                return answer(question, strategy, walk.answer(), null, result.formattedProgram(), paths(trace), trace);
            }
            failure = failure + "; the fallback walk: " + walk.outcome();
        }
        return answer(question, strategy, List.of(), failure, result.formattedProgram(), paths, trace);
    }

    /**
     * DaSLaM (Juneja et al. 2023): the solver's first attempt, then per round the decomposer's sub-questions
     * (seeing the attempt), their answers, and the solver's re-answer with them as facts; a round whose
     * re-answer agrees with its attempt ends the loop.
     */
    private Answer daslam(String question, AskOptions options, Trace trace, Choices choices) {
        Trace.Step first = trace.start("attempt", null, "lm", question);
        String attemptExpert = choices.direct().forPrompt(AnswerPrompt.direct(question));
        String attempt = model.answerDirectly(question, attemptExpert);
        first.finish(attempt, attemptExpert, List.of());
        ProgramExecutor executor = new ProgramExecutor(registry(options, choices, trace));
        String reanswer = attempt;
        String program = null;
        String failure = null;
        for (int round = 1; round <= options.maxRounds(); round++) {
            ExecutionResult result = executor.run(question, decomposer(attempt, choices, trace), trace);
            program = result.formattedProgram();
            List<AnswerPrompt.Fact> facts = new ArrayList<>();
            for (ExecutedStep step : result.steps()) {
                if (step.succeeded()) {
                    String input = step.step().handler().equals("kg") || step.step().handler().equals("lm")
                            ? step.input() : step.step().operation().word() + ": " + step.input();
                    facts.add(new AnswerPrompt.Fact(input, step.answerTexts()));
                }
            }
            Trace.Step again = trace.start("reanswer" + round, null, "lm", facts.size() + " facts");
            String composeExpert = choices.compose().forPrompt(AnswerPrompt.withFacts(question, facts));
            reanswer = reanswer(question, facts, attempt, composeExpert);
            again.finish(reanswer, composeExpert, List.of());
            failure = result.succeeded() ? null : result.error();
            if (reanswer.equalsIgnoreCase(attempt)) {
                break;
            }
            attempt = reanswer;
        }
        List<Value> values = reanswer.isEmpty() ? List.of() : List.of(Value.of(reanswer));
        return answer(question, Strategy.DASLAM, values, values.isEmpty() ? failure : null, program, paths(trace), trace);
    }

    /**
     * The compose expert's answer from the facts, written as one of the answers the facts and the attempt hold
     * (constrained decoding): the model chooses which.
     */
    private String reanswer(String question, List<AnswerPrompt.Fact> facts, String attempt, String expert) {
        java.util.Set<String> candidates = new java.util.LinkedHashSet<>();
        for (AnswerPrompt.Fact fact : facts) {
            fact.answers().forEach(answer -> candidates.add(" " + answer));
        }
        if (!attempt.isBlank()) {
            candidates.add(" " + attempt);
        }
        if (candidates.isEmpty()) {
            return model.answerWithFacts(question, facts, expert);
        }
        return model.chooseLine(AnswerPrompt.withFacts(question, facts), List.copyOf(candidates), expert);
    }

    private ModelDecomposer decomposer(String attempt, Choices choices, Trace trace) {
        if (experts.fewShotDecomposer()) {
            return ModelDecomposer.fewShot(model, library());
        }
        return new ModelDecomposer(model, choices.decompose(), attempt, graph, trace);
    }

    private synchronized PromptLibrary library() {
        if (library == null) {
            library = PromptLibrary.load();
        }
        return library;
    }

    private HandlerRegistry registry(AskOptions options, Choices choices, Trace trace) {
        HandlerRegistry.Builder builder = HandlerRegistry.builder();
        SymbolicHandlers.addTo(builder);
        builder.add("kg", call -> {
            // a program's graph sub-question asks one relation: its walk takes one hop (the program chains hops)
            Set<String> used = new LinkedHashSet<>();
            KnowledgeSolver oneHop = new KnowledgeSolver(graph, model, perSubQuestion(choices.walk(), used), 1,
                    options.walkConfidence());
            // the name and relation the decomposer asked about, when it wrote a sub-question of its own form about
            // a name: the name links to a sense that has the relation
            Optional<SubQuestions.Parsed> asked = call.referenced().isEmpty() ? SubQuestions.parse(call.question())
                    : Optional.empty();
            WalkResult result = oneHop.walk(call.question(), asked.map(SubQuestions.Parsed::filler).orElse(null),
                    asked.map(SubQuestions.Parsed::relation).orElse(null), call.referenced(), options.beamWidth(),
                    call.trace(), call.stepId());
            if (!result.answered()) {
                throw new HandlerException("the graph walk found no answer to \"" + call.question() + "\": "
                        + result.outcome());
            }
            return new HandlerResult(result.answer(), recorded(choices.walk(), used), result.path());
        });
        builder.add("lm", call -> {
            String expert = choices.direct().forPrompt(AnswerPrompt.direct(call.question()));
            String text = model.answerDirectly(call.question(), expert);
            if (text.isEmpty()) {
                throw new HandlerException("the model gave no answer to \"" + call.question() + "\"");
            }
            return new HandlerResult(List.of(Value.of(text)), expert, List.of());
        });
        builder.add("decomp", new DecompHandler(subQuestion -> decomposer(null, choices, trace)));
        return builder.build();
    }

    private static List<String> paths(Trace trace) {
        List<String> paths = new ArrayList<>();
        for (TraceEvent event : trace.events()) {
            if (event.handler().equals("kg") && !event.path().isEmpty() && !event.id().contains(".")) {
                paths.add(String.join(" | ", event.path()));
            }
        }
        return paths;
    }

    private static Answer answer(String question, Strategy strategy, List<Value> values, String reason, String program,
                                 List<String> paths, Trace trace) {
        return new Answer(question, strategy, values, reason, program, paths, trace.events(), trace.elapsedMillis());
    }

    private static String join(List<Value> values) {
        return values.isEmpty() ? "none" : String.join(", ", values.stream().map(Value::text).toList());
    }
}
