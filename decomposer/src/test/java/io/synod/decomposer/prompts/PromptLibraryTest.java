package io.synod.decomposer.prompts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synod.decomposer.program.ExecutedStep;
import io.synod.decomposer.program.ExecutionResult;
import io.synod.decomposer.program.Handler;
import io.synod.decomposer.program.HandlerRegistry;
import io.synod.decomposer.program.HandlerResult;
import io.synod.decomposer.program.Operation;
import io.synod.decomposer.program.Program;
import io.synod.decomposer.program.ProgramExecutor;
import io.synod.decomposer.program.ProgramSyntaxException;
import io.synod.decomposer.program.Step;
import io.synod.decomposer.program.StepSource;
import io.synod.decomposer.symbolic.SymbolicHandlers;
import io.synod.solvers.reasoning.Trace;
import io.synod.solvers.reasoning.Value;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PromptLibraryTest {

    private final PromptLibrary library = PromptLibrary.load();

    @Test
    void everyBundledTaskFileParsesIntoSeveralShots() {
        assertThat(library.tasks()).containsExactly("geography", "counting", "comparison", "lexical");
        for (String task : library.tasks()) {
            assertThat(library.shots(task)).as(task).hasSizeGreaterThanOrEqualTo(4)
                    .allSatisfy(shot -> assertThat(shot.answers()).hasSize(shot.steps().size()));
        }
    }

    @Test
    void everyShotUsesOnlyHandlersThePromptDescribes() {
        Set<String> described = Set.of("kg", "lm", "count", "compare", "calc", "union", "intersect", "decomp");
        for (String task : library.tasks()) {
            for (Program shot : library.shots(task)) {
                assertThat(shot.steps()).extracting(Step::handler).allMatch(described::contains);
                for (String handler : shot.steps().stream().map(Step::handler).toList()) {
                    assertThat(library.instructions()).contains("[" + handler + "]");
                }
            }
        }
    }

    /**
     * Each shot's symbolic steps (count, compare, calc, union, intersect) must compute the A lines it
     * shows: the model steps are stood in for by a handler that answers with their own A lines.
     */
    @Test
    void theSymbolicAnswersOfEveryShotAreWhatTheHandlersCompute() {
        for (String task : library.tasks()) {
            for (Program shot : library.shots(task)) {
                Handler fromAnswerLines = call -> HandlerResult.of(
                        shot.answer(Integer.parseInt(call.question())).stream().map(Value::of).toList());
                var executor = new ProgramExecutor(SymbolicHandlers.addTo(HandlerRegistry.builder())
                        .add("recorded", fromAnswerLines).build());
                StepSource replay = (question, done) -> {
                    int number = done.size() + 1;
                    if (number > shot.steps().size()) {
                        return Optional.empty();
                    }
                    Step step = shot.steps().get(number - 1);
                    boolean model = Set.of(Operation.SELECT, Operation.PROJECT, Operation.FILTER)
                            .contains(step.operation());
                    return Optional.of(model ? new Step(Operation.SELECT, "recorded", Integer.toString(number)) : step);
                };

                ExecutionResult result = executor.run(shot.question(), replay, new Trace());

                assertThat(result.succeeded()).as(shot.question() + ": " + result.error()).isTrue();
                assertThat(result.steps()).extracting(ExecutedStep::answerTexts).as(shot.question())
                        .containsExactlyElementsOf(IntStream.rangeClosed(1, shot.steps().size())
                                .mapToObj(shot::answer).toList());
            }
        }
    }

    @Test
    void thePromptEndsWithTheQuestionAndTheStepsDoneSoFar() {
        var done = List.of(new ExecutedStep(1, "1", new Step(Operation.SELECT, "kg", "Which countries border Chile?"),
                "Which countries border Chile?", List.of(Value.of("Argentina"), Value.of("Bolivia"), Value.of("Peru")),
                null));

        String prompt = library.prompt(List.of("counting"), "How many countries border Chile?", done);

        assertThat(prompt).startsWith(library.instructions() + "\n\nQC: How many countries border Togo?\n");
        assertThat(prompt).endsWith("QS: [EOQ]\n\nQC: How many countries border Chile?\n"
                + "QS: (select) [kg] Which countries border Chile?\nA: [\"Argentina\", \"Bolivia\", \"Peru\"]\n");
        assertThat(prompt).doesNotContain("Which is larger, Cameroon or Aruba?");
        assertThat(library.prompt("q", List.of())).contains("Which is larger, Cameroon or Aruba?")
                .contains("What kind of animal is a dog");
    }

    @Test
    void aShotsFileErrorCountsLinesFromTheTopOfTheFile() {
        String text = "QC: a\nQS: [kg] b\nQS: [EOQ]\n\nQC: c\nQS: (selct) [kg] d\nQS: [EOQ]\n";

        assertThatThrownBy(() -> PromptLibrary.parseShots(text))
                .isInstanceOf(ProgramSyntaxException.class)
                .hasMessageStartingWith("line 6: expected \"QS: (operation) [handler] question\"");
    }

    @Test
    void anUnknownTaskNamesTheKnownOnes() {
        assertThatThrownBy(() -> library.shots("history"))
                .hasMessage("no prompt task named \"history\"; tasks are geography, counting, comparison, lexical");
    }
}
