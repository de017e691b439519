package io.synod.decomposer.symbolic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synod.decomposer.program.Handler;
import io.synod.decomposer.program.HandlerCall;
import io.synod.decomposer.program.HandlerException;
import io.synod.decomposer.program.LimitReachedException;
import io.synod.decomposer.program.Operation;
import io.synod.solvers.reasoning.Trace;
import io.synod.solvers.reasoning.Value;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SymbolicHandlersTest {

    private static final Value TRINIDAD = Value.entity("Trinidad and Tobago", "urn:country:TTO",
            List.of("Republic of Trinidad and Tobago", "TT"));
    private static final Value VENEZUELA = Value.entity("Venezuela", "urn:country:VEN",
            List.of("Bolivarian Republic of Venezuela"));
    private static final Value GRENADA = Value.entity("Grenada", "urn:country:GRD", List.of());
    private static final Value BLOEMFONTEIN = Value.entity("Bloemfontein", "urn:city:bloemfontein",
            List.of("Mangaung"));
    private static final Value LOME = Value.entity("Lomé", "urn:city:lome", List.of());

    /** Answers of earlier steps, as the executor would hand them over. */
    private static final Map<Integer, List<Value>> ANSWERS = Map.of(
            1, List.of(Value.of("475442")),
            2, List.of(Value.of("180")),
            3, List.of(VENEZUELA, TRINIDAD, GRENADA),
            4, List.of(BLOEMFONTEIN),
            5, List.of(Value.of("4.75e5")),
            6, List.of(Value.of("1,234")),
            7, List.of(Value.of("Trinidad & Tobago"), Value.entity("Guyana", "urn:country:GUY", List.of())),
            8, List.of(),
            9, List.of(LOME));

    private static List<String> answer(Handler handler, String template) throws Exception {
        return handler.handle(call(template)).values().stream().map(Value::text).toList();
    }

    private static HandlerCall call(String template) {
        return new HandlerCall(template, template, Operation.SELECT, "1", null, new Trace(), 3, List.of(), ANSWERS,
                (question, source) -> {
                    throw new LimitReachedException(null, "no nesting here");
                });
    }

    @Test
    void countGivesTheNumberOfItemsAsDigits() throws Exception {
        assertThat(answer(new CountHandler(), "#3")).containsExactly("3");
        assertThat(answer(new CountHandler(), " #8 ")).containsExactly("0");
    }

    @Test
    void countRefusesAnythingButOneReference() {
        assertThatThrownBy(() -> answer(new CountHandler(), "#3 and #4"))
                .isInstanceOf(HandlerException.class)
                .hasMessage("count expects \"#n\" (one earlier answer) but got \"#3 and #4\"");
        assertThatThrownBy(() -> answer(new CountHandler(), "#12"))
                .hasMessage("count: #12 is not an earlier step of \"#12\"");
    }

    @Test
    void maxAndMinAnswerWithTheLabelOfTheLargestOrSmallestNumber() throws Exception {
        CompareHandler compare = new CompareHandler();
        assertThat(answer(compare, "max(Cameroon: #1, Aruba: #2)")).containsExactly("Cameroon");
        assertThat(answer(compare, "min(Cameroon: #1, Aruba: #2)")).containsExactly("Aruba");
        assertThat(answer(compare, "MAX(Cameroon: #5, Aruba: #2, Iceland: 103,000)")).containsExactly("Cameroon");
        assertThat(answer(compare, "min(Cameroon: #1, Somewhere: #6, Aruba: #2)")).containsExactly("Aruba");
        assertThat(answer(compare, "max(Bonaire, Sint Eustatius and Saba: 322, Aruba: #2)"))
                .containsExactly("Bonaire, Sint Eustatius and Saba");
    }

    @Test
    void scientificAndGroupedNumbersCompareByValue() throws Exception {
        // 4.75e5 = 475000 < 475442; 1,234 > 180
        assertThat(answer(new CompareHandler(), "max(a: #5, b: #1)")).containsExactly("b");
        assertThat(answer(new CompareHandler(), "max(a: #6, b: #2)")).containsExactly("a");
    }

    @Test
    void aTieAnswersWithEveryTiedLabelAndALabelMayBeAReference() throws Exception {
        assertThat(answer(new CompareHandler(), "max(x: 475442, y: #1, z: 2)")).containsExactly("x", "y");
        assertThat(answer(new CompareHandler(), "max(#4: 7, #9: 9)")).containsExactly("Lomé");
    }

    @Test
    void containsMatchesAnyNameIgnoringCaseAccentsAndPunctuation() throws Exception {
        CompareHandler compare = new CompareHandler();
        assertThat(answer(compare, "contains(#3, Trinidad and Tobago)")).containsExactly("yes");
        assertThat(answer(compare, "contains(#3, trinidad & tobago.)")).containsExactly("yes");
        assertThat(answer(compare, "contains(#3, Bolivarian Republic of Venezuela)")).containsExactly("yes");
        assertThat(answer(compare, "contains(#3, Guyana)")).containsExactly("no");
        assertThat(answer(compare, "contains(#9, lome)")).containsExactly("yes");
        assertThat(answer(compare, "contains(#8, Guyana)")).containsExactly("no");
    }

    @Test
    void containsWithAReferenceAsksWhetherEveryItemOfItIsIn() throws Exception {
        assertThat(answer(new CompareHandler(), "contains(#3, #7)")).containsExactly("no");
        assertThat(answer(new CompareHandler(), "contains(#7, Trinidad and Tobago)")).containsExactly("yes");
    }

    @Test
    void equalsAsksWhetherTheAnswerIsExactlyThatItem() throws Exception {
        CompareHandler compare = new CompareHandler();
        assertThat(answer(compare, "equals(#4, Bloemfontein)")).containsExactly("yes");
        assertThat(answer(compare, "equals(#4, MANGAUNG)")).containsExactly("yes");
        assertThat(answer(compare, "equals(#4, Pretoria)")).containsExactly("no");
        assertThat(answer(compare, "equals(#3, Venezuela)")).containsExactly("no");
        assertThat(answer(compare, "equals(#4, #4)")).containsExactly("yes");
    }

    @Test
    void compareInputsThatDoNotParseNameTheInputAndTheExpectedForm() {
        CompareHandler compare = new CompareHandler();
        assertThatThrownBy(() -> answer(compare, "Which is bigger, #1 or #2?"))
                .hasMessage("compare expects max(label: #n, label: #n, ...), min(...), contains(#n, name) or"
                        + " equals(#n, name) but got \"Which is bigger, #1 or #2?\"");
        assertThatThrownBy(() -> answer(compare, "largest(a: #1, b: #2)"))
                .hasMessageEndingWith("but got \"largest(a: #1, b: #2)\" (unknown \"largest\")");
        assertThatThrownBy(() -> answer(compare, "max(Cameroon: #1)"))
                .hasMessageEndingWith("(at least two labelled numbers)");
        assertThatThrownBy(() -> answer(compare, "max(Cameroon: #1, Aruba)"))
                .hasMessageEndingWith("(expected \"label: #n\" at \"Aruba\")");
        assertThatThrownBy(() -> answer(compare, "max(a: #1, b: #3)"))
                .hasMessage("compare: #3 is [\"Venezuela\", \"Trinidad and Tobago\", \"Grenada\"], not one number"
                        + " (such as \"475442\", \"4.75e5\" or \"1,234\")");
        assertThatThrownBy(() -> answer(compare, "contains(Guyana, #3)"))
                .hasMessageEndingWith("(expected \"#n, name\")");
    }

    @Test
    void calcEvaluatesArithmeticWithPrecedenceParenthesesAndReferences() throws Exception {
        CalcHandler calc = new CalcHandler();
        assertThat(answer(calc, "#1 - #2")).containsExactly("475262");
        assertThat(answer(calc, "(#1 - #2) / 2")).containsExactly("237631");
        assertThat(answer(calc, "2 + 3 * 4")).containsExactly("14");
        assertThat(answer(calc, "-(2 + 3) * -4")).containsExactly("20");
        assertThat(answer(calc, "1 / 4 + #6")).containsExactly("1234.25");
        assertThat(answer(calc, "1 / 3")).containsExactly("0.3333333333333333");
        assertThat(answer(calc, "#5 / 1e5")).containsExactly("4.75");
    }

    @Test
    void calcRefusesWhatIsNotArithmetic() {
        CalcHandler calc = new CalcHandler();
        assertThatThrownBy(() -> answer(calc, "Runtime.exec(\"rm\")"))
                .hasMessage("calc expects arithmetic over numbers and #n with + - * / and parentheses, as in"
                        + " \"(#1 - #2) / 2\", but got \"Runtime.exec(\"rm\")\" (unexpected \"R\" at position 1)");
        assertThatThrownBy(() -> answer(calc, "(1 + 2")).hasMessageEndingWith("(expected \")\" at position 7)");
        assertThatThrownBy(() -> answer(calc, "4 / (2 - 2)")).hasMessageEndingWith("(division by zero at position 4)");
        assertThatThrownBy(() -> answer(calc, "#3 + 1")).hasMessageStartingWith("calc: #3 is [\"Venezuela\"");
        assertThatThrownBy(() -> answer(calc, "1 +")).hasMessageEndingWith("(unexpected end at position 4)");
    }

    @Test
    void unionKeepsFirstSeenOrderAndMergesTheSameItemWrittenTwoWays() throws Exception {
        assertThat(answer(SetHandler.union(), "#3 #7")).containsExactly("Venezuela", "Trinidad and Tobago", "Grenada",
                "Guyana");
        assertThat(answer(SetHandler.union(), "#4, #9 and #4")).containsExactly("Bloemfontein", "Lomé");
    }

    @Test
    void intersectKeepsTheItemsOfTheFirstListFoundInEveryOther() throws Exception {
        assertThat(answer(SetHandler.intersect(), "#3 #7")).containsExactly("Trinidad and Tobago");
        assertThat(answer(SetHandler.intersect(), "#3 #8")).isEmpty();
    }

    @Test
    void itemsWithDifferentIdsAreDifferentEvenWithTheSameName() throws Exception {
        var georgiaCountry = Value.entity("Georgia", "urn:country:GEO", List.of());
        var georgiaState = Value.entity("Georgia", "urn:state:GA", List.of());
        HandlerCall call = new HandlerCall("#1 #2", "#1 #2", Operation.UNION, "3", null, new Trace(), 3, List.of(),
                Map.of(1, List.of(georgiaCountry), 2, List.of(georgiaState)), (question, source) -> null);

        assertThat(SetHandler.union().handle(call).values()).containsExactly(georgiaCountry, georgiaState);
        assertThat(SetHandler.intersect().handle(call).values()).isEmpty();
    }

    @Test
    void setInputsMustBeReferences() {
        assertThatThrownBy(() -> answer(SetHandler.intersect(), "#3 and Guyana"))
                .hasMessage("intersect expects references such as \"#1 #2\" but got \"#3 and Guyana\"");
    }
}
