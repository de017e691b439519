// Runs programs: substitutes #n references, fans project and filter steps out, calls handlers, records the trace.
package io.synod.decomposer.program;

import io.synod.solvers.reasoning.Trace;
import io.synod.solvers.reasoning.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Executes DecomP programs (Khot et al. 2022, allenai/DecomP's routed execution) over a
 * {@link HandlerRegistry}, synchronously on the calling thread.
 * <ul>
 * <li>{@code select} and the reductions ({@code count}, {@code compare}, {@code union},
 *     {@code intersect}, {@code calc}): one call, each {@code #n} replaced by that answer's items
 *     joined with ", ".</li>
 * <li>{@code project}: one call per item of the first list the sub-question refers to (other
 *     references are substituted as for select); the answers are concatenated without repeats.</li>
 * <li>{@code filter}: one call per item the same way; keeps the items (of the referenced list, not the
 *     handler's answers) whose answer is yes; an empty answer counts as no.</li>
 * </ul>
 * In an item call, {@code HandlerCall.answers()} binds the iterated reference to that one item, so
 * symbolic handlers (which read the template) see the item too.
 * <ul>
 * </ul>
 * Every step records one trace event, with id {@code "1"}, {@code "2"}, ... (under a prefix for nested
 * programs) and each item call of a project or filter step one more ({@code "2.1"}, {@code "2.2"},
 * with parent {@code "2"}). A handler that throws fails its step with the exception's message and
 * stops the run; nothing escapes as an exception. Thread-safe: it holds no state between runs.
 */
public final class ProgramExecutor {

    private static final String DECOMPOSER = "decomposer";

    private final HandlerRegistry registry;
    private final ExecutionLimits limits;

    public ProgramExecutor(HandlerRegistry registry) {
        this(registry, ExecutionLimits.DEFAULT);
    }

    public ProgramExecutor(HandlerRegistry registry, ExecutionLimits limits) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public ExecutionLimits limits() {
        return limits;
    }

    /**
     * Parses and runs a complete program; its A lines are ignored and recomputed. A program that does
     * not parse gives a failed result (and a failed trace event, id {@code "program"}) with the
     * parser's message.
     */
    public ExecutionResult run(String programText, Trace trace) {
        Program program;
        try {
            program = ProgramParser.parse(programText);
        } catch (ProgramSyntaxException malformed) {
            String error = "the program does not parse: " + malformed.getMessage();
            trace.start("program", null, DECOMPOSER, programText).fail(error, null);
            return new ExecutionResult("", List.of(), List.of(), error, null);
        }
        return run(program, trace);
    }

    /** Runs the steps of {@code program} in order; its A lines are ignored and recomputed. */
    public ExecutionResult run(Program program, Trace trace) {
        return run(program.question(), StepSource.of(program), trace);
    }

    /** Runs the steps {@code source} proposes, one at a time, each after seeing the answers so far. */
    public ExecutionResult run(String question, StepSource source, Trace trace) {
        return run(question, source, trace, "", null, 0);
    }

    private ExecutionResult run(String question, StepSource source, Trace trace, String idPrefix, String parentId,
            int depth) {
        var done = new ArrayList<ExecutedStep>();
        var answers = new HashMap<Integer, List<Value>>();
        while (true) {
            int number = done.size() + 1;
            String id = idPrefix + number;
            Optional<Step> next;
            try {
                next = source.next(question, List.copyOf(done));
            } catch (Exception failure) {
                String error = "the decomposer failed to propose step " + number + ": " + messageOf(failure);
                trace.start(id, parentId, DECOMPOSER, question).fail(error, null);
                return failed(question, done, error, null);
            }
            if (next.isEmpty()) {
                break;
            }
            Step step = next.get();
            if (number > limits.maxSteps()) {
                String error = "step limit of " + limits.maxSteps() + " reached: the program proposed step " + number
                        + " (" + step.format() + ")";
                trace.start(id, parentId, DECOMPOSER, step.format()).fail(error, null);
                return failed(question, done, error, ExecutionLimits.Kind.STEPS);
            }
            Optional<ExecutedStep> repeated = done.stream().filter(earlier -> earlier.step().equals(step)).findFirst();
            if (repeated.isPresent()) {
                String error = "the decomposer repeated itself: step " + number + " is the same as step "
                        + repeated.get().number() + " (" + step.format() + ")";
                trace.start(id, parentId, DECOMPOSER, step.format()).fail(error, null);
                return failed(question, done, error, ExecutionLimits.Kind.REPEATED_STEP);
            }
            Outcome outcome = execute(step, number, id, parentId, trace, depth, Map.copyOf(answers));
            done.add(outcome.executed());
            if (!outcome.executed().succeeded()) {
                String error = "step " + number + " [" + step.handler() + "] failed: " + outcome.executed().error();
                return failed(question, done, error, outcome.limit());
            }
            answers.put(number, outcome.executed().answer());
        }
        if (done.isEmpty()) {
            String error = "the program has no steps: the decomposer ended it at once";
            trace.start(idPrefix + 1, parentId, DECOMPOSER, question).fail(error, null);
            return failed(question, done, error, null);
        }
        return new ExecutionResult(question, done.get(done.size() - 1).answer(), done, null, null);
    }

    private static ExecutionResult failed(String question, List<ExecutedStep> done, String error,
            ExecutionLimits.Kind limit) {
        return new ExecutionResult(question, List.of(), done, error, limit);
    }

    /** A step that ran, and the limit that stopped it if one did. */
    private record Outcome(ExecutedStep executed, ExecutionLimits.Kind limit) {
    }

    private Outcome execute(Step step, int number, String id, String parentId, Trace trace, int depth,
            Map<Integer, List<Value>> answers) {
        String problem = ProgramParser.referenceProblem(step, number);
        Optional<Handler> handler = registry.find(step.handler());
        if (problem == null && handler.isEmpty()) {
            problem = registry.unknown(step.handler());
        }
        if (problem != null) {
            trace.start(id, parentId, step.handler(), step.question()).fail(problem, null);
            return new Outcome(new ExecutedStep(number, id, step, step.question(), List.of(), problem), null);
        }
        return switch (step.operation()) {
            case PROJECT, FILTER -> iterate(step, number, id, parentId, trace, depth, answers, handler.get());
            default -> once(step, number, id, parentId, trace, depth, answers, handler.get());
        };
    }

    /** One call with every reference substituted: select and the reductions. */
    private Outcome once(Step step, int number, String id, String parentId, Trace trace, int depth,
            Map<Integer, List<Value>> answers, Handler handler) {
        String input = References.substitute(step.question(), reference -> joined(answers.get(reference)));
        var referenced = new ArrayList<Value>();
        for (int reference : step.references()) {
            referenced.addAll(answers.get(reference));
        }
        Trace.Step event = trace.start(id, parentId, step.handler(), input);
        var call = new HandlerCall(input, step.question(), step.operation(), id, parentId, trace,
                limits.maxDepth() - depth, referenced, answers, subPrograms(trace, id, depth));
        try {
            HandlerResult result = handler.handle(call);
            event.finish(AnswerLists.format(texts(result.values())), result.adapter(), result.path());
            return new Outcome(new ExecutedStep(number, id, step, input, result.values(), null), null);
        } catch (Exception failure) {
            event.fail(messageOf(failure), null);
            return new Outcome(new ExecutedStep(number, id, step, input, List.of(), messageOf(failure)),
                    limitOf(failure));
        }
    }

    /** One call per item of the first referenced list: project and filter. */
    private Outcome iterate(Step step, int number, String id, String parentId, Trace trace, int depth,
            Map<Integer, List<Value>> answers, Handler handler) {
        String operation = step.operation().word();
        Trace.Step event = trace.start(id, parentId, step.handler(), step.question());
        List<Integer> references = step.references();
        if (references.isEmpty()) {
            String error = operation + " needs a #n reference to iterate over, as in \"Which currency does #1 use?\","
                    + " but found \"" + step.question() + "\"";
            event.fail(error, null);
            return new Outcome(new ExecutedStep(number, id, step, step.question(), List.of(), error), null);
        }
        int iterated = references.get(0);
        List<Value> items = answers.get(iterated);
        if (items.size() > limits.maxFanOut()) {
            String error = "fan-out limit of " + limits.maxFanOut() + " reached: " + operation + " over #" + iterated
                    + " would make " + items.size() + " calls";
            event.fail(error, null);
            return new Outcome(new ExecutedStep(number, id, step, step.question(), List.of(), error),
                    ExecutionLimits.Kind.FAN_OUT);
        }
        var others = new ArrayList<Value>();
        var substitutions = new HashMap<Integer, String>();
        for (int reference : references.subList(1, references.size())) {
            others.addAll(answers.get(reference));
            substitutions.put(reference, joined(answers.get(reference)));
        }
        var collected = new ArrayList<Value>();
        var adapters = new LinkedHashSet<String>();
        for (int index = 0; index < items.size(); index++) {
            Value item = items.get(index);
            String itemId = id + "." + (index + 1);
            var itemSubstitutions = new HashMap<>(substitutions);
            itemSubstitutions.put(iterated, item.text());
            String input = References.substitute(step.question(), itemSubstitutions);
            var referenced = new ArrayList<Value>();
            referenced.add(item);
            referenced.addAll(others);
            Trace.Step itemEvent = trace.start(itemId, id, step.handler(), input);
            // the iterated reference stands for this item alone, also for handlers that read the template
            var itemAnswers = new HashMap<>(answers);
            itemAnswers.put(iterated, List.of(item));
            var call = new HandlerCall(input, step.question(), step.operation(), itemId, id, trace,
                    limits.maxDepth() - depth, referenced, itemAnswers, subPrograms(trace, itemId, depth));
            String error;
            try {
                HandlerResult result = handler.handle(call);
                itemEvent.finish(AnswerLists.format(texts(result.values())), result.adapter(), result.path());
                if (result.adapter() != null) {
                    adapters.add(result.adapter());
                }
                if (step.operation() == Operation.PROJECT) {
                    collected.addAll(result.values());
                    continue;
                }
                Boolean keep = yesOrNo(result.values());
                if (keep != null) {
                    if (keep) {
                        collected.add(item);
                    }
                    continue;
                }
                error = "filter expects yes or no from [" + step.handler() + "] but got "
                        + AnswerLists.format(texts(result.values())) + " for \"" + input + "\"";
            } catch (Exception failure) {
                itemEvent.fail(messageOf(failure), null);
                error = "item " + (index + 1) + " (\"" + item.text() + "\"): " + messageOf(failure);
                event.fail(error, null);
                return new Outcome(new ExecutedStep(number, id, step, step.question(), List.of(), error),
                        limitOf(failure));
            }
            event.fail(error, null);
            return new Outcome(new ExecutedStep(number, id, step, step.question(), List.of(), error), null);
        }
        List<Value> answer = step.operation() == Operation.PROJECT ? Names.distinct(collected) : List.copyOf(collected);
        event.finish(AnswerLists.format(texts(answer)), adapters.isEmpty() ? null : String.join(",", adapters),
                List.of());
        return new Outcome(new ExecutedStep(number, id, step, step.question(), answer, null), null);
    }

    /** Runs nested programs below the call {@code callId}, one level deeper. */
    private SubPrograms subPrograms(Trace trace, String callId, int depth) {
        return (question, source) -> {
            if (depth + 1 > limits.maxDepth()) {
                throw new LimitReachedException(ExecutionLimits.Kind.DEPTH, "depth limit of " + limits.maxDepth()
                        + " reached: a nested program for \"" + question + "\" would be level " + (depth + 1));
            }
            return run(question, source, trace, callId + ".", callId, depth + 1);
        };
    }

    /** True for yes, false for no or an empty answer, null for anything else. */
    private static Boolean yesOrNo(List<Value> values) {
        if (values.isEmpty()) {
            return false;
        }
        if (values.size() > 1) {
            return null;
        }
        return switch (Names.normalise(values.get(0).text())) {
            case "yes", "true" -> true;
            case "no", "false" -> false;
            default -> null;
        };
    }

    private static String joined(List<Value> values) {
        return values.stream().map(Value::text).collect(Collectors.joining(", "));
    }

    private static List<String> texts(List<Value> values) {
        return values.stream().map(Value::text).toList();
    }

    private static ExecutionLimits.Kind limitOf(Exception failure) {
        return failure instanceof LimitReachedException limit ? limit.kind() : null;
    }

    private static String messageOf(Exception failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }
}
