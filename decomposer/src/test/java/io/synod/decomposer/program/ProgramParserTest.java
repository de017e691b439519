package io.synod.decomposer.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgramParserTest {

    private static final String RIYADH = """
            QC: Which currencies do the neighbours of the country with capital Riyadh use?
            QS: (select) [kg] Which country has Riyadh as its capital?
            A: ["Saudi Arabia"]
            QS: (project) [kg] Which countries border #1?
            A: ["Iraq", "Jordan", "Kuwait"]
            QS: (project) [kg] Which currency does #2 use?
            A: ["Iraqi dinar", "Jordanian dinar", "Kuwaiti dinar"]
            QS: (count) [count] #3
            A: ["3"]
            QS: [EOQ]
            """;

    @Test
    void aCanonicalProgramParsesAndFormatsBackToTheSameText() throws Exception {
        Program program = ProgramParser.parse(RIYADH);

        assertThat(program.question()).isEqualTo("Which currencies do the neighbours of the country with capital Riyadh use?");
        assertThat(program.steps()).containsExactly(
                new Step(Operation.SELECT, "kg", "Which country has Riyadh as its capital?"),
                new Step(Operation.PROJECT, "kg", "Which countries border #1?"),
                new Step(Operation.PROJECT, "kg", "Which currency does #2 use?"),
                new Step(Operation.COUNT, "count", "#3"));
        assertThat(program.answer(2)).containsExactly("Iraq", "Jordan", "Kuwait");
        assertThat(program.format()).isEqualTo(RIYADH);
        assertThat(program.toString()).isEqualTo(RIYADH);
        assertThat(ProgramParser.parse(program.format())).isEqualTo(program);
    }

    @Test
    void anOmittedOperationIsSelectAndABareAnswerIsAOneItemList() throws Exception {
        Program program = ProgramParser.parse("""

                QC: What is the capital of Togo?
                QS: [kg] What is the capital of Togo?
                A: Lomé

                QS: [EOQ]
                """);

        assertThat(program.steps()).containsExactly(new Step(Operation.SELECT, "kg", "What is the capital of Togo?"));
        assertThat(program.answer(1)).containsExactly("Lomé");
        assertThat(program.format()).contains("QS: (select) [kg] What is the capital of Togo?\nA: [\"Lomé\"]\n");
    }

    @Test
    void stepsWithoutAnswerLinesAndJsonEscapesRoundTrip() throws Exception {
        Program program = new Program("Q \"quoted\"?", List.of(new Step(Operation.SELECT, "kg", "Which \"big\" countries?"),
                new Step(Operation.FILTER, "lm", "Is #1 \"big\"?"), new Step(Operation.UNION, "union", "#1 #2")), java.util.Map.of(2, List.of("a \"b\"", "c\\d", "")));

        assertThat(ProgramParser.parse(program.format())).isEqualTo(program);
        assertThat(program.format()).contains("A: [\"a \\\"b\\\"\", \"c\\\\d\", \"\"]");
    }

    @Test
    void anUnknownOperationNamesTheLineQuotesItAndListsTheOperations() {
        String text = """
                QC: What currency does Togo use?
                QS: (select) [kg] Which country is Togo?
                QS: (selct) [kg] Which currency does #1 use?
                QS: [EOQ]
                """;

        assertThatThrownBy(() -> ProgramParser.parse(text))
                .isInstanceOf(ProgramSyntaxException.class)
                .hasMessage("line 3: expected \"QS: (operation) [handler] question\" but found"
                        + " \"QS: (selct) [kg] Which currency does #1 use?\"; operations are select, project, filter,"
                        + " count, compare, union, intersect, calc")
                .satisfies(error -> assertThat(((ProgramSyntaxException) error).lineNumber()).isEqualTo(3));
    }

    @Test
    void aReferenceToAStepThatDoesNotExistYetIsAnError() {
        String text = """
                QC: Which currency does the neighbour of Portugal use?
                QS: (select) [kg] Which countries border Portugal?
                QS: (project) [kg] Which currency does #4 use?
                QS: [EOQ]
                """;

        assertThatThrownBy(() -> ProgramParser.parse(text))
                .isInstanceOf(ProgramSyntaxException.class)
                .hasMessageStartingWith("line 3: step 2 refers to #4, which is not an earlier step (only #1 comes before it)")
                .hasMessageContaining("\"QS: (project) [kg] Which currency does #4 use?\"");
    }

    @Test
    void aStepReferringToItselfIsAnError() {
        assertThatThrownBy(() -> ProgramParser.parse("QC: q\nQS: [kg] a\nQS: [kg] b\nQS: [kg] c #3\nQS: [EOQ]"))
                .hasMessageStartingWith("line 4: step 3 refers to #3, which is not an earlier step (only #1 to #2 come before it)");
    }

    @Test
    void theFirstLineMustBeTheComplexQuestion() {
        assertThatThrownBy(() -> ProgramParser.parse("QS: [kg] What is the capital of Peru?\nQS: [EOQ]"))
                .hasMessage("line 1: expected \"QC: question\" as the first line but found \"QS: [kg] What is the capital of Peru?\"");
        assertThatThrownBy(() -> ProgramParser.parse("\n  \n"))
                .hasMessage("line 1: expected \"QC: question\" but the program is empty");
    }

    @Test
    void aProgramMustEndWithEoqAndNothingMayFollowIt() {
        assertThatThrownBy(() -> ProgramParser.parse("QC: q\nQS: [kg] What is the capital of Peru?"))
                .hasMessage("line 2: expected \"QS: [EOQ]\" at the end of the program");
        assertThatThrownBy(() -> ProgramParser.parse("QC: q\nQS: [kg] a\nQS: [EOQ]\nQS: [kg] b\n"))
                .hasMessage("line 4: expected nothing after \"QS: [EOQ]\" but found \"QS: [kg] b\"");
    }

    @Test
    void anAnswerLineMustFollowAStep() {
        assertThatThrownBy(() -> ProgramParser.parse("QC: q\nA: [\"x\"]\nQS: [EOQ]"))
                .hasMessage("line 2: expected an A line only right after a QS step but found \"A: [\"x\"]\"");
        assertThatThrownBy(() -> ProgramParser.parse("QC: q\nQS: [kg] a\nA: [\"x\"]\nA: [\"y\"]\nQS: [EOQ]"))
                .hasMessageStartingWith("line 4: expected an A line only right after a QS step");
    }

    @Test
    void anAnswerThatStartsLikeJsonButIsNotAListOfStringsIsAnError() {
        assertThatThrownBy(() -> ProgramParser.parse("QC: q\nQS: [kg] a\nA: [\"Lima\"\nQS: [EOQ]"))
                .hasMessage("line 3: expected a JSON list of strings after \"A:\" (such as A: [\"Saudi riyal\"])"
                        + " but found \"A: [\"Lima\"\"");
        assertThatThrownBy(() -> ProgramParser.parse("QC: q\nQS: [kg] a\nA: [[\"Lima\"]]\nQS: [EOQ]"))
                .hasMessageStartingWith("line 3: expected a JSON list of strings");
    }

    @Test
    void aStepLineWithoutHandlerOrQuestionSaysWhatWasExpected() {
        assertThatThrownBy(() -> ProgramParser.parseStep("QS: What is the capital of Peru?", 7))
                .hasMessage("line 7: expected \"QS: (operation) [handler] question\" or \"QS: [EOQ]\" but found"
                        + " \"QS: What is the capital of Peru?\"");
        assertThatThrownBy(() -> ProgramParser.parseStep("QS: (select) [kg]   ", 2))
                .hasMessage("line 2: expected \"QS: (operation) [handler] question\" with a sub-question after [kg]"
                        + " but found \"QS: (select) [kg]\"");
        assertThatThrownBy(() -> ProgramParser.parseStep("QS: (count) [EOQ] #1", 5))
                .hasMessage("line 5: expected \"QS: [EOQ]\" alone on its line but found \"QS: (count) [EOQ] #1\"");
        assertThatThrownBy(() -> ProgramParser.parseStep("QS: [k g] a", 1))
                .hasMessageStartingWith("line 1: expected a handler name");
    }

    @Test
    void parseStepReadsOneLineAsAModelEmitsIt() throws Exception {
        assertThat(ProgramParser.parseStep("  QS: (project) [kg] Which currency does #1 use?  ", 3))
                .contains(new Step(Operation.PROJECT, "kg", "Which currency does #1 use?"));
        assertThat(ProgramParser.parseStep("QS: [EOQ]", 9)).isEqualTo(Optional.empty());
        assertThat(ProgramParser.parseStep("QS: (project) [kg] Which currency does #1 use?", 3, 2)).isPresent();
        assertThatThrownBy(() -> ProgramParser.parseStep("QS: (project) [kg] Which currency does #1 use?", 3, 1))
                .hasMessageStartingWith("line 3: step 1 refers to #1, which is not an earlier step (it is the first step");
    }

    @Test
    void referencesAreReadWholeSoTwelveIsNotOne() {
        assertThat(References.find("#12 and #1 then #12")).containsExactly(12, 1);
        assertThat(References.substitute("#12 and #1", n -> "<" + n + ">")).isEqualTo("<12> and <1>");
    }
}
