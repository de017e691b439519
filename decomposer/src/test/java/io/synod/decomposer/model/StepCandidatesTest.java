package io.synod.decomposer.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.synod.decomposer.program.ExecutedStep;
import io.synod.decomposer.program.Operation;
import io.synod.decomposer.program.Step;
import io.synod.solvers.reasoning.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepCandidatesTest {

    @Test
    void spansAreRunsOfWordsWithoutSurroundingPunctuationOrPossessive() {
        List<String> spans = StepCandidates.spans("What is Côte d'Ivoire's capital?");
        assertThat(spans).contains("Côte d'Ivoire", "Côte d'Ivoire's", "capital", "What is");
        assertThat(spans).doesNotContain("capital?");
        assertThat(StepCandidates.spans("What is the hypernym of \"forceps delivery\"?"))
                .contains("\"forceps delivery\"");
    }

    @Test
    void theFirstStepAsksTheGraphAboutASpanOfTheQuestion() {
        List<String> lines = StepCandidates.lines("Which currency does Togo use?", List.of());
        assertThat(lines).contains("(select) [kg] Which currency does Togo use?",
                "(select) [kg] What is the capital of Togo?");
        assertThat(lines).doesNotContain(DecomposerPrompt.END).noneMatch(line -> line.contains("#1"));
    }

    @Test
    void laterStepsMayReferToEarlierAnswersCountCompareOrEnd() {
        ExecutedStep first = new ExecutedStep(1, "1", new Step(Operation.SELECT, "kg", "What is the area of Togo?"),
                "What is the area of Togo?", List.of(Value.of("56785")), null);
        ExecutedStep second = new ExecutedStep(2, "2", new Step(Operation.SELECT, "kg", "What is the area of Ghana?"),
                "What is the area of Ghana?", List.of(Value.of("238533")), null);
        List<String> lines = StepCandidates.lines("Which is larger, Togo or Ghana?", List.of(first, second));
        assertThat(lines).contains("(compare) [compare] max(Togo: #1, Ghana: #2)",
                "(compare) [compare] min(Togo: #1, Ghana: #2)", "(count) [count] #2",
                "(project) [kg] What is the capital of #1?", "(compare) [compare] contains(#1, Ghana)", DecomposerPrompt.END);
    }

    @Test
    void aStepAlreadyTakenIsNotOfferedAgain() {
        ExecutedStep first = new ExecutedStep(1, "1", new Step(Operation.SELECT, "kg", "What is the area of Togo?"),
                "What is the area of Togo?", List.of(Value.of("56785")), null);
        List<String> lines = StepCandidates.lines("Which is larger, Togo or Ghana?", List.of(first));
        assertThat(lines).doesNotContain("(select) [kg] What is the area of Togo?")
                .contains("(select) [kg] What is the area of Ghana?");
    }

    @Test
    void anAnswerIsNotTestedAgainstTheNameItWasAskedAboutUnlessTheQuestionNamesItTwice() {
        ExecutedStep neighbours = new ExecutedStep(1, "1", new Step(Operation.SELECT, "kg", "Which countries border Denmark?"),
                "Which countries border Denmark?", List.of(Value.of("Germany")), null);
        assertThat(StepCandidates.lines("Are Denmark and Germany neighbours?", List.of(neighbours), List.of("Denmark", "Germany")))
                .contains("(compare) [compare] contains(#1, Germany)")
                .doesNotContain("(compare) [compare] contains(#1, Denmark)", "(compare) [compare] equals(#1, Denmark)");

        ExecutedStep capital = new ExecutedStep(1, "1", new Step(Operation.SELECT, "kg", "What is the capital of Djibouti?"),
                "What is the capital of Djibouti?", List.of(Value.of("Djibouti")), null);
        assertThat(StepCandidates.lines("Is Djibouti the capital of Djibouti?", List.of(capital), List.of("Djibouti")))
                .contains("(compare) [compare] equals(#1, Djibouti)");

        // nor against a longer name around it ("capital of Togo" is another name of Lomé)
        ExecutedStep togo = new ExecutedStep(1, "1", new Step(Operation.SELECT, "kg", "What is the capital of Togo?"),
                "What is the capital of Togo?", List.of(Value.of("Lomé")), null);
        assertThat(StepCandidates.lines("What is the capital of Togo?", List.of(togo), List.of("capital of Togo", "Togo")))
                .doesNotContain("(compare) [compare] equals(#1, capital of Togo)", "(compare) [compare] equals(#1, Togo)")
                .contains("[EOQ]");
        assertThat(StepCandidates.nameWithin("Togo").matcher("capital of Togo").find()).isTrue();
        assertThat(StepCandidates.nameWithin("Togo").matcher("Togoland").find()).isFalse();
    }

    @Test
    void aGraphStepAboutAnEarlierAnswerAsksOnlyTheRelationsItsEntitiesHave() {
        ExecutedStep capital = new ExecutedStep(1, "1", new Step(Operation.SELECT, "kg", "What is the capital of Togo?"),
                "What is the capital of Togo?", List.of(Value.entity("Lomé", "city/lome", List.of())), null);
        List<String> lines = StepCandidates.lines("What is the population of the capital of Togo?", List.of(capital),
                List.of("Togo"), ids -> ids.equals(List.of("city/lome")) ? List.of("country", "population") : List.of());
        assertThat(lines).contains("(select) [kg] What is the population of #1?", "(select) [kg] Which country is #1 in?")
                .doesNotContain("(select) [kg] What is the capital of #1?", "(project) [kg] What is the area of #1?");
        // a number is no entity: nothing to ask the graph about it
        ExecutedStep population = new ExecutedStep(2, "2", new Step(Operation.SELECT, "kg", "What is the population of #1?"),
                "What is the population of Lomé?", List.of(Value.of("837437")), null);
        assertThat(StepCandidates.lines("What is the population of the capital of Togo?", List.of(capital, population),
                List.of("Togo"), ids -> ids.isEmpty() ? List.of() : List.of("population")))
                .noneMatch(line -> line.contains("#2?") || line.contains("#2 "));
    }

    @Test
    void theStepsRuledOutAreGivenByTheTextThatBeginsThemOnly() {
        ExecutedStep capital = new ExecutedStep(1, "1", new Step(Operation.SELECT, "kg", "What is the capital of Togo?"),
                "What is the capital of Togo?", List.of(Value.entity("Lomé", "city/lome", List.of())), null);
        StepCandidates.Next next = StepCandidates.next("What is the capital of Togo?", List.of(capital), List.of("Togo"),
                ids -> List.of("country", "population"));
        // Togo is the only name and the test of #1 against it is ruled out: so is every equality test of #1; no
        // capital is left to ask (Togo's was asked, a city has none)
        assertThat(next.ruledOut()).contains("(compare) [compare] equals(#1,", "(compare) [compare] contains(#1,",
                "(select) [kg] What is the capital of");
        // the area of Lomé is ruled out, but the area of Togo begins the same way: given whole
        assertThat(next.ruledOut()).contains("(select) [kg] What is the area of #1?")
                .doesNotContain("(select) [kg] What is the area of");
        assertThat(next.ruledOut()).allSatisfy(text -> {
            assertThat(next.lines()).noneMatch(line -> line.startsWith(text));
            assertThat(next.ruledOut()).noneMatch(other -> !other.equals(text) && text.startsWith(other));
        });
        assertThat(next.lines()).isEqualTo(StepCandidates.lines("What is the capital of Togo?", List.of(capital),
                List.of("Togo"), ids -> List.of("country", "population")));
    }
}
