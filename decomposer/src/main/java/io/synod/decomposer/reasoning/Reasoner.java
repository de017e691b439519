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
import io.synod.solvers.answering.ModelSolver;
import io.synod.solvers.knowledge.KnowledgeSolver;
import io.synod.solvers.knowledge.KnowledgeSolver.WalkResult;
import io.synod.solvers.knowledge.WalkGraph;
import io.synod.solvers.reasoning.Trace;
import io.synod.solvers.reasoning.TraceEvent;
import io.synod.solvers.reasoning.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
     */
    public record Experts(String decompose, String walk, String direct, String compose, boolean fewShotDecomposer) {
        public static Experts standard() {
            return new Experts("decompose", "walk", "direct", "compose", false);
        }

        /** The base model alone in every role (the ablation of the experts). */
        public static Experts baseOnly() {
            return new Experts(null, null, null, null, false);
        }
    }

    private final ModelSolver model;
    private final WalkGraph graph;
    private final Experts experts;
    private PromptLibrary library;

    public Reasoner(ModelSolver model, WalkGraph graph, Experts experts) {
        this.model = model;
        this.graph = graph;
        this.experts = experts;
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
        KnowledgeSolver walker = new KnowledgeSolver(graph, model, experts.walk(), options.maxHops());
        return switch (options.strategy()) {
            case DIRECT -> direct(text, trace);
            case KSL -> walk(text, options, walker, trace, Strategy.KSL);
            case DECOMP -> decompose(text, options, walker, trace, Strategy.DECOMP, false);
            case AUTO -> decompose(text, options, walker, trace, Strategy.AUTO, true);
            case DASLAM -> daslam(text, options, walker, trace);
        };
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

    private Answer direct(String question, Trace trace) {
        Trace.Step step = trace.start("1", null, "lm", question);
        String text = model.answerDirectly(question, experts.direct());
        step.finish(text, experts.direct(), List.of());
        List<Value> values = text.isEmpty() ? List.of() : List.of(Value.of(text));
        return answer(question, Strategy.DIRECT, values, text.isEmpty() ? "the model gave no answer" : null, null,
                List.of(), trace);
    }

    private Answer walk(String question, AskOptions options, KnowledgeSolver walker, Trace trace, Strategy strategy) {
        Trace.Step step = trace.start("1", null, "kg", question);
        WalkResult result = walker.walk(question, List.of(), options.beamWidth(), trace, "1");
        if (result.answered()) {
            step.finish(join(result.answer()), experts.walk(), result.path());
        } else {
            step.fail(result.outcome(), experts.walk());
        }
        return answer(question, strategy, result.answer(), result.answered() ? null : result.outcome(), null,
                result.path(), trace);
    }

    private Answer decompose(String question, AskOptions options, KnowledgeSolver walker, Trace trace,
                             Strategy strategy, boolean fallBack) {
        ProgramExecutor executor = new ProgramExecutor(registry(walker, options));
        ExecutionResult result = executor.run(question, decomposer(null), trace);
        List<String> paths = paths(trace);
        if (result.succeeded() && !result.answer().isEmpty()) {
            return answer(question, strategy, result.answer(), null, result.formattedProgram(), paths, trace);
        }
        String failure = result.succeeded() ? "the program's answer is empty" : result.error();
        if (fallBack) {
            trace.start("fallback", null, "auto", "decomposition failed: " + failure)
                    .finish("walking the graph from the question instead", null, List.of());
            WalkResult walk = walker.walk(question, List.of(), options.beamWidth(), trace, "fallback");
            if (walk.answered()) {
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
    private Answer daslam(String question, AskOptions options, KnowledgeSolver walker, Trace trace) {
        Trace.Step first = trace.start("attempt", null, "lm", question);
        String attempt = model.answerDirectly(question, experts.direct());
        first.finish(attempt, experts.direct(), List.of());
        ProgramExecutor executor = new ProgramExecutor(registry(walker, options));
        String reanswer = attempt;
        String program = null;
        String failure = null;
        for (int round = 1; round <= options.maxRounds(); round++) {
            ExecutionResult result = executor.run(question, decomposer(attempt), trace);
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
            reanswer = reanswer(question, facts, attempt);
            again.finish(reanswer, experts.compose(), List.of());
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
    private String reanswer(String question, List<AnswerPrompt.Fact> facts, String attempt) {
        java.util.Set<String> candidates = new java.util.LinkedHashSet<>();
        for (AnswerPrompt.Fact fact : facts) {
            fact.answers().forEach(answer -> candidates.add(" " + answer));
        }
        if (!attempt.isBlank()) {
            candidates.add(" " + attempt);
        }
        if (candidates.isEmpty()) {
            return model.answerWithFacts(question, facts, experts.compose());
        }
        return model.chooseLine(AnswerPrompt.withFacts(question, facts), List.copyOf(candidates), experts.compose());
    }

    private ModelDecomposer decomposer(String attempt) {
        if (experts.fewShotDecomposer()) {
            return ModelDecomposer.fewShot(model, library());
        }
        return new ModelDecomposer(model, experts.decompose(), attempt, graph);
    }

    private synchronized PromptLibrary library() {
        if (library == null) {
            library = PromptLibrary.load();
        }
        return library;
    }

    private HandlerRegistry registry(KnowledgeSolver walker, AskOptions options) {
        HandlerRegistry.Builder builder = HandlerRegistry.builder();
        SymbolicHandlers.addTo(builder);
        // a program's graph sub-question asks one relation: its walk takes one hop (the program chains hops)
        KnowledgeSolver oneHop = new KnowledgeSolver(graph, model, experts.walk(), 1);
        builder.add("kg", call -> {
            // the name the decomposer asked about, when it wrote a sub-question of its own form about a name
            String name = call.referenced().isEmpty() ? SubQuestions.filler(call.question()).orElse(null) : null;
            WalkResult result = oneHop.walk(call.question(), name, call.referenced(), options.beamWidth(),
                    call.trace(), call.stepId());
            if (!result.answered()) {
                throw new HandlerException("the graph walk found no answer to \"" + call.question() + "\": "
                        + result.outcome());
            }
            return new HandlerResult(result.answer(), experts.walk(), result.path());
        });
        builder.add("lm", call -> {
            String text = model.answerDirectly(call.question(), experts.direct());
            if (text.isEmpty()) {
                throw new HandlerException("the model gave no answer to \"" + call.question() + "\"");
            }
            return new HandlerResult(List.of(Value.of(text)), experts.direct(), List.of());
        });
        builder.add("decomp", new DecompHandler(subQuestion -> decomposer(null)));
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
        return String.join(", ", values.stream().map(Value::text).toList());
    }
}
