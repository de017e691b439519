package io.synod.decomposer.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.synod.decomposer.symbolic.SymbolicHandlers;
import io.synod.solvers.reasoning.Trace;
import io.synod.solvers.reasoning.TraceEvent;
import io.synod.solvers.reasoning.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProgramExecutorTest {

    private static final Value SAUDI_ARABIA = Value.entity("Saudi Arabia", "urn:country:SAU", List.of("KSA"));
    private static final Value JORDAN = Value.entity("Jordan", "urn:country:JOR", List.of());
    private static final Value KUWAIT = Value.entity("Kuwait", "urn:country:KWT", List.of());
    private static final Value OMAN = Value.entity("Oman", "urn:country:OMN", List.of());

    /** A stand-in for the graph: answers the questions it knows, records every call. */
    private static final class FakeGraph implements Handler {
        final Map<String, List<Value>> answers = new HashMap<>();
        final List<HandlerCall> calls = new ArrayList<>();

        FakeGraph answer(String question, Value... values) {
            answers.put(question, List.of(values));
            return this;
        }

        @Override
        public HandlerResult handle(HandlerCall call) throws HandlerException {
            calls.add(call);
            List<Value> values = answers.get(call.question());
            if (values == null) {
                throw new HandlerException("no answer for \"" + call.question() + "\"");
            }
            List<String> path = values.isEmpty() ? List.of() : List.of("Saudi Arabia -borders-> " + values.get(0).text());
            return new HandlerResult(values, "kg-walk", path);
        }
    }

    private final FakeGraph graph = new FakeGraph()
            .answer("Which country has Riyadh as its capital?", SAUDI_ARABIA)
            .answer("Which countries border Saudi Arabia?", JORDAN, KUWAIT, OMAN)
            .answer("Which currency does Jordan use?", Value.of("Jordanian dinar"))
            .answer("Which currency does Kuwait use?", Value.of("Kuwaiti dinar"))
            .answer("Which currency does Oman use?", Value.of("Omani rial"), Value.of("Jordanian dinar"))
            .answer("Does Jordan border the Red Sea?", Value.of("yes"))
            .answer("Does Kuwait border the Red Sea?", Value.of("No"))
            .answer("Does Oman border the Red Sea?", Value.of("no"))
            .answer("Is Jordan bigger than Saudi Arabia?", Value.of("no"))
            .answer("Is Kuwait bigger than Saudi Arabia?", Value.of("no"))
            .answer("Is Oman bigger than Saudi Arabia?", Value.of("no"));

    private HandlerRegistry registry(Map<String, Handler> extra) {
        HandlerRegistry.Builder builder = SymbolicHandlers.addTo(HandlerRegistry.builder()).add("kg", graph);
        extra.forEach(builder::add);
        return builder.build();
    }

    private final ProgramExecutor executor = new ProgramExecutor(registry(Map.of()));
    private final Trace trace = new Trace();

    @Test
    void selectProjectAndCountAnswerTheQuestionAndFillTheProgramsAnswerLines() throws Exception {
        ExecutionResult result = executor.run(ProgramParser.parse("""
                QC: How many currencies do the neighbours of the country with capital Riyadh use?
                QS: (select) [kg] Which country has Riyadh as its capital?
                A: ["made up"]
                QS: (select) [kg] Which countries border #1?
                QS: (project) [kg] Which currency does #2 use?
                QS: (count) [count] #3
                QS: [EOQ]
                """), trace);

        assertThat(result.succeeded()).isTrue();
        assertThat(result.error()).isNull();
        assertThat(result.answerTexts()).containsExactly("3");
        assertThat(result.steps()).extracting(ExecutedStep::answerTexts).containsExactly(
                List.of("Saudi Arabia"), List.of("Jordan", "Kuwait", "Oman"),
                List.of("Jordanian dinar", "Kuwaiti dinar", "Omani rial"), List.of("3"));
        assertThat(result.formattedProgram()).isEqualTo("""
                QC: How many currencies do the neighbours of the country with capital Riyadh use?
                QS: (select) [kg] Which country has Riyadh as its capital?
                A: ["Saudi Arabia"]
                QS: (select) [kg] Which countries border #1?
                A: ["Jordan", "Kuwait", "Oman"]
                QS: (project) [kg] Which currency does #2 use?
                A: ["Jordanian dinar", "Kuwaiti dinar", "Omani rial"]
                QS: (count) [count] #3
                A: ["3"]
                QS: [EOQ]
                """);
    }

    @Test
    void selectJoinsEveryItemOfAReferenceIntoOneCall() {
        graph.answer("Which of Jordan, Kuwait, Oman is largest?", OMAN);
        ExecutionResult result = executor.run(Program.of("q", List.of(
                new Step(Operation.SELECT, "kg", "Which countries border Saudi Arabia?"),
                new Step(Operation.SELECT, "kg", "Which of #1 is largest?"))), trace);

        assertThat(result.answer()).containsExactly(OMAN);
        assertThat(graph.calls).hasSize(2);
        assertThat(graph.calls.get(1).question()).isEqualTo("Which of Jordan, Kuwait, Oman is largest?");
        assertThat(graph.calls.get(1).template()).isEqualTo("Which of #1 is largest?");
        assertThat(graph.calls.get(1).referenced()).containsExactly(JORDAN, KUWAIT, OMAN);
    }

    @Test
    void projectCallsOncePerItemPassesTheEntityAndDropsRepeatedAnswers() {
        ExecutionResult result = executor.run(Program.of("q", List.of(
                new Step(Operation.SELECT, "kg", "Which countries border Saudi Arabia?"),
                new Step(Operation.PROJECT, "kg", "Which currency does #1 use?"))), trace);

        assertThat(result.answerTexts()).containsExactly("Jordanian dinar", "Kuwaiti dinar", "Omani rial");
        assertThat(graph.calls).extracting(HandlerCall::question).containsExactly(
                "Which countries border Saudi Arabia?", "Which currency does Jordan use?",
                "Which currency does Kuwait use?", "Which currency does Oman use?");
        assertThat(graph.calls.get(2).referenced()).containsExactly(KUWAIT);
        assertThat(graph.calls.get(2).referenced().get(0).id()).isEqualTo("urn:country:KWT");
    }

    @Test
    void projectIteratesOverTheFirstReferenceAndSubstitutesTheOthersWhole() {
        ExecutionResult result = executor.run(Program.of("q", List.of(
                new Step(Operation.SELECT, "kg", "Which country has Riyadh as its capital?"),
                new Step(Operation.SELECT, "kg", "Which countries border #1?"),
                new Step(Operation.PROJECT, "kg", "Is #2 bigger than #1?"))), trace);

        assertThat(result.answerTexts()).containsExactly("no");
        assertThat(graph.calls.get(2).question()).isEqualTo("Is Jordan bigger than Saudi Arabia?");
        assertThat(graph.calls.get(2).referenced()).containsExactly(JORDAN, SAUDI_ARABIA);
    }

    @Test
    void filterKeepsTheReferencedItemsWhoseAnswerIsYes() {
        ExecutionResult result = executor.run(Program.of("q", List.of(
                new Step(Operation.SELECT, "kg", "Which countries border Saudi Arabia?"),
                new Step(Operation.FILTER, "kg", "Does #1 border the Red Sea?"))), trace);

        assertThat(result.answer()).containsExactly(JORDAN);
        assertThat(result.answer().get(0).id()).isEqualTo("urn:country:JOR");
    }

    @Test
    void aSymbolicHandlerInAFilterSeesTheIteratedReferenceAsOneItem() {
        ExecutionResult result = executor.run(Program.of("q", List.of(
                new Step(Operation.SELECT, "kg", "Which countries border Saudi Arabia?"),
                new Step(Operation.FILTER, "compare", "contains(#1, kuwait)"),
                new Step(Operation.PROJECT, "count", "#1"))), trace);

        assertThat(result.steps().get(1).answer()).containsExactly(KUWAIT);
        assertThat(result.answerTexts()).containsExactly("1");
    }

    @Test
    void projectAndFilterOverAnEmptyListMakeNoCallsAndAnswerNothing() {
        graph.answer("Which countries border Japan?");
        ExecutionResult result = executor.run(Program.of("q", List.of(
                new Step(Operation.SELECT, "kg", "Which countries border Japan?"),
                new Step(Operation.PROJECT, "kg", "Which currency does #1 use?"),
                new Step(Operation.FILTER, "kg", "Does #2 border the Red Sea?"),
                new Step(Operation.COUNT, "count", "#3"))), trace);

        assertThat(result.succeeded()).isTrue();
        assertThat(result.answerTexts()).containsExactly("0");
        assertThat(graph.calls).hasSize(1);
    }

    @Test
    void filterFailsWhenTheHandlerAnswersNeitherYesNorNo() {
        graph.answer("Does Kuwait border the Red Sea?", Value.of("Kuwait City"));
        ExecutionResult result = executor.run(Program.of("q", List.of(
                new Step(Operation.SELECT, "kg", "Which countries border Saudi Arabia?"),
                new Step(Operation.FILTER, "kg", "Does #1 border the Red Sea?"))), trace);

        assertThat(result.succeeded()).isFalse();
        assertThat(result.error()).isEqualTo("step 2 [kg] failed: filter expects yes or no from [kg] but got"
                + " [\"Kuwait City\"] for \"Does Kuwait border the Red Sea?\"");
    }

    @Test
    void projectWithoutAReferenceFailsTheStep() {
        ExecutionResult result = executor.run(Program.of("q", List.of(
                new Step(Operation.PROJECT, "kg", "Which countries border Saudi Arabia?"))), trace);

        assertThat(result.error()).startsWith("step 1 [kg] failed: project needs a #n reference to iterate over");
    }

    @Test
    void everyStepRecordsOneTraceEventAndItemCallsAreItsChildren() {
        executor.run(Program.of("q", List.of(
                new Step(Operation.SELECT, "kg", "Which countries border Saudi Arabia?"),
                new Step(Operation.PROJECT, "kg", "Which currency does #1 use?"),
                new Step(Operation.COUNT, "count", "#2"))), trace);

        assertThat(trace.events()).extracting(TraceEvent::id, TraceEvent::parent, TraceEvent::handler, TraceEvent::input)
                .containsExactly(
                        tuple("1", null, "kg", "Which countries border Saudi Arabia?"),
                        tuple("2.1", "2", "kg", "Which currency does Jordan use?"),
                        tuple("2.2", "2", "kg", "Which currency does Kuwait use?"),
                        tuple("2.3", "2", "kg", "Which currency does Oman use?"),
                        tuple("2", null, "kg", "Which currency does #1 use?"),
                        tuple("3", null, "count", "Jordanian dinar, Kuwaiti dinar, Omani rial"));
        TraceEvent first = trace.events().get(0);
        assertThat(first.output()).isEqualTo("[\"Jordan\", \"Kuwait\", \"Oman\"]");
        assertThat(first.adapter()).isEqualTo("kg-walk");
        assertThat(first.path()).containsExactly("Saudi Arabia -borders-> Jordan");
        assertThat(trace.events().get(4).output()).isEqualTo("[\"Jordanian dinar\", \"Kuwaiti dinar\", \"Omani rial\"]");
        assertThat(trace.events()).noneMatch(TraceEvent::failed);
    }

    @Test
    void aFailingHandlerGivesAFailedStepAndKeepsThePartialTrace() {
        Handler broken = call -> {
            throw new IllegalStateException("model out of memory");
        };
        var withBroken = new ProgramExecutor(registry(Map.of("lm", broken)));

        ExecutionResult result = withBroken.run(Program.of("q", List.of(
                new Step(Operation.SELECT, "kg", "Which countries border Saudi Arabia?"),
                new Step(Operation.PROJECT, "lm", "What is the motto of #1?"),
                new Step(Operation.COUNT, "count", "#2"))), trace);

        assertThat(result.succeeded()).isFalse();
        assertThat(result.error()).isEqualTo("step 2 [lm] failed: item 1 (\"Jordan\"): model out of memory");
        assertThat(result.limit()).isNull();
        assertThat(result.answer()).isEmpty();
        assertThat(result.steps()).extracting(ExecutedStep::succeeded).containsExactly(true, false);
        assertThat(trace.events()).extracting(TraceEvent::id, TraceEvent::error).containsExactly(
                tuple("1", null), tuple("2.1", "model out of memory"),
                tuple("2", "item 1 (\"Jordan\"): model out of memory"));
        assertThat(result.formattedProgram()).isEqualTo("""
                QC: q
                QS: (select) [kg] Which countries border Saudi Arabia?
                A: ["Jordan", "Kuwait", "Oman"]
                QS: (project) [lm] What is the motto of #1?
                QS: [EOQ]
                """);
    }

    @Test
    void anExceptionWithoutAMessageIsNamedByItsClass() {
        var withBroken = new ProgramExecutor(registry(Map.of("lm", call -> {
            throw new NullPointerException();
        })));

        ExecutionResult result = withBroken.run(Program.of("q", List.of(new Step(Operation.SELECT, "lm", "a"))), trace);

        assertThat(result.error()).isEqualTo("step 1 [lm] failed: NullPointerException");
    }

    @Test
    void anUnknownHandlerFailsTheStepAndNamesTheKnownOnes() {
        ExecutionResult result = executor.run(Program.of("q", List.of(new Step(Operation.SELECT, "wiki", "a"))), trace);

        assertThat(result.error()).isEqualTo("step 1 [wiki] failed: no handler named [wiki]; known handlers are"
                + " calc, compare, count, intersect, kg, union");
        assertThat(trace.events()).singleElement().satisfies(event -> {
            assertThat(event.handler()).isEqualTo("wiki");
            assertThat(event.error()).startsWith("no handler named [wiki]");
        });
    }

    @Test
    void aMalformedProgramTextGivesAFailedResultWithTheParserMessage() {
        ExecutionResult result = executor.run("QC: q\nQS: (selct) [kg] a\nQS: [EOQ]", trace);

        assertThat(result.succeeded()).isFalse();
        assertThat(result.error()).startsWith("the program does not parse: line 2: expected");
        assertThat(trace.events()).singleElement().extracting(TraceEvent::handler).isEqualTo("decomposer");
    }

    @Test
    void anIterativeSourceSeesEveryEarlierAnswerBeforeProposingTheNextStep() {
        var seen = new ArrayList<List<List<String>>>();
        StepSource source = (question, done) -> {
            seen.add(done.stream().map(ExecutedStep::answerTexts).toList());
            return switch (done.size()) {
                case 0 -> Optional.of(new Step(Operation.SELECT, "kg", "Which countries border Saudi Arabia?"));
                case 1 -> Optional.of(new Step(Operation.SELECT, "kg",
                        "Which currency does " + done.get(0).answerTexts().get(1) + " use?"));
                default -> Optional.empty();
            };
        };

        ExecutionResult result = executor.run("What currency does the second neighbour use?", source, trace);

        assertThat(result.answerTexts()).containsExactly("Kuwaiti dinar");
        assertThat(seen).containsExactly(List.of(), List.of(List.of("Jordan", "Kuwait", "Oman")),
                List.of(List.of("Jordan", "Kuwait", "Oman"), List.of("Kuwaiti dinar")));
    }

    @Test
    void aSourceThatThrowsFailsTheRunAndRecordsItInTheTrace() {
        StepSource malformed = (question, done) -> ProgramParser.parseStep("QS: (selct) [kg] a", done.size() + 1);

        ExecutionResult result = executor.run("q", malformed, trace);

        assertThat(result.error()).startsWith("the decomposer failed to propose step 1: line 1: expected");
        assertThat(trace.events()).singleElement().satisfies(event -> assertThat(event.failed()).isTrue());
    }

    @Test
    void aProgramWithNoStepsFails() {
        ExecutionResult result = executor.run("q", (question, done) -> Optional.empty(), trace);

        assertThat(result.succeeded()).isFalse();
        assertThat(result.error()).isEqualTo("the program has no steps: the decomposer ended it at once");
    }

    @Test
    void theStepLimitStopsASourceThatNeverEnds() {
        var limited = new ProgramExecutor(registry(Map.of("echo", call -> HandlerResult.of(call.question()))),
                new ExecutionLimits(4, 3, 32));
        StepSource endless = (question, done) -> Optional.of(new Step(Operation.SELECT, "echo", "step " + done.size()));

        ExecutionResult result = limited.run("q", endless, trace);

        assertThat(result.succeeded()).isFalse();
        assertThat(result.limit()).isEqualTo(ExecutionLimits.Kind.STEPS);
        assertThat(result.error()).isEqualTo("step limit of 4 reached: the program proposed step 5"
                + " (QS: (select) [echo] step 4)");
        assertThat(result.steps()).hasSize(4);
        assertThat(trace.events()).hasSize(5).last().extracting(TraceEvent::id).isEqualTo("5");
    }

    @Test
    void aSourceThatRepeatsAStepIsStoppedAndToldItRepeatedItself() {
        AtomicInteger proposals = new AtomicInteger();
        StepSource looping = (question, done) -> {
            proposals.incrementAndGet();
            return Optional.of(new Step(Operation.SELECT, "kg", done.size() % 2 == 0
                    ? "Which countries border Saudi Arabia?" : "Which country has Riyadh as its capital?"));
        };

        ExecutionResult result = executor.run("q", looping, trace);

        assertThat(result.limit()).isEqualTo(ExecutionLimits.Kind.REPEATED_STEP);
        assertThat(result.error()).isEqualTo("the decomposer repeated itself: step 3 is the same as step 1"
                + " (QS: (select) [kg] Which countries border Saudi Arabia?)");
        assertThat(proposals.get()).isEqualTo(3);
        assertThat(graph.calls).hasSize(2);
    }

    @Test
    void theFanOutLimitStopsAProjectOverTooManyItems() {
        var narrow = new ProgramExecutor(registry(Map.of()), new ExecutionLimits(12, 3, 2));

        ExecutionResult result = narrow.run(Program.of("q", List.of(
                new Step(Operation.SELECT, "kg", "Which countries border Saudi Arabia?"),
                new Step(Operation.PROJECT, "kg", "Which currency does #1 use?"))), trace);

        assertThat(result.limit()).isEqualTo(ExecutionLimits.Kind.FAN_OUT);
        assertThat(result.error()).isEqualTo("step 2 [kg] failed: fan-out limit of 2 reached: project over #1"
                + " would make 3 calls");
        assertThat(graph.calls).hasSize(1);
    }

    @Test
    void decompRunsANestedProgramUnderItsStep() throws Exception {
        Program currencies = ProgramParser.parse("""
                QC: Which currencies do the neighbours of Saudi Arabia use?
                QS: (select) [kg] Which countries border Saudi Arabia?
                QS: (project) [kg] Which currency does #1 use?
                QS: [EOQ]
                """);
        var nested = new ProgramExecutor(registry(Map.of("decomp",
                DecompHandler.withPrograms(Map.of(currencies.question(), currencies)))));

        ExecutionResult result = nested.run(ProgramParser.parse("""
                QC: How many currencies do the neighbours of the country with capital Riyadh use?
                QS: (select) [kg] Which country has Riyadh as its capital?
                QS: (select) [decomp] Which currencies do the neighbours of #1 use?
                QS: (count) [count] #2
                QS: [EOQ]
                """), trace);

        assertThat(result.answerTexts()).containsExactly("3");
        assertThat(trace.events()).extracting(TraceEvent::id, TraceEvent::parent).containsExactly(
                tuple("1", null), tuple("2.1", "2"), tuple("2.2.1", "2.2"), tuple("2.2.2", "2.2"),
                tuple("2.2.3", "2.2"), tuple("2.2", "2"), tuple("2", null), tuple("3", null));
    }

    @Test
    void theDepthLimitStopsARecursionThatNeverBottomsOut() throws Exception {
        Program selfReferential = ProgramParser.parse("""
                QC: Why?
                QS: (select) [decomp] Why?
                QS: [EOQ]
                """);
        var recursive = new ProgramExecutor(registry(Map.of("decomp",
                DecompHandler.withPrograms(Map.of("Why?", selfReferential)))), new ExecutionLimits(12, 2, 32));

        ExecutionResult result = recursive.run(selfReferential, trace);

        assertThat(result.limit()).isEqualTo(ExecutionLimits.Kind.DEPTH);
        assertThat(result.error()).isEqualTo("step 1 [decomp] failed: nested program: step 1 [decomp] failed:"
                + " nested program: step 1 [decomp] failed: depth limit of 2 reached: a nested program for \"Why?\""
                + " would be level 3");
        assertThat(trace.events()).extracting(TraceEvent::id).containsExactly("1.1.1", "1.1", "1");
        assertThat(trace.events()).allMatch(TraceEvent::failed);
    }

    @Test
    void theDepthLeftShrinksByOneForEachNestedProgram() throws Exception {
        var depths = new ArrayList<Integer>();
        Handler probe = call -> {
            depths.add(call.depthLeft());
            return HandlerResult.of("ok");
        };
        Program inner = ProgramParser.parse("QC: inner\nQS: [probe] x\nQS: [EOQ]");
        var nested = new ProgramExecutor(registry(Map.of("probe", probe,
                "decomp", DecompHandler.withPrograms(Map.of("inner", inner)))));

        nested.run(ProgramParser.parse("QC: outer\nQS: [probe] x\nQS: [decomp] inner\nQS: [EOQ]"), trace);

        assertThat(depths).containsExactly(3, 2);
    }

    @Test
    void aReferenceToALaterStepFromAnIterativeSourceFailsTheStep() {
        StepSource forward = (question, done) -> done.isEmpty()
                ? Optional.of(new Step(Operation.COUNT, "count", "#2")) : Optional.empty();

        ExecutionResult result = executor.run("q", forward, trace);

        assertThat(result.error()).isEqualTo("step 1 [count] failed: step 1 refers to #2, which is not an earlier"
                + " step (it is the first step, so it can refer to none)");
    }
}
