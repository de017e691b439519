// Resolving the #n operands of symbolic handler inputs to the answers they name.
package io.synod.decomposer.symbolic;

import io.synod.decomposer.program.HandlerCall;
import io.synod.decomposer.program.HandlerException;
import io.synod.decomposer.program.References;
import io.synod.solvers.reasoning.Value;
import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Operands of symbolic inputs: {@code #n} references and literal numbers. */
final class Arguments {

    static final Pattern REFERENCE = References.REFERENCE;

    private Arguments() {
    }

    /** The answer {@code reference} ("#2") names. */
    static List<Value> values(HandlerCall call, String reference, String handler) throws HandlerException {
        Matcher matcher = REFERENCE.matcher(reference.strip());
        if (!matcher.matches()) {
            throw new HandlerException(handler + " expects a reference such as #1 but got \"" + reference + "\"");
        }
        int number = Integer.parseInt(matcher.group(1));
        List<Value> values = call.answers().get(number);
        if (values == null) {
            throw new HandlerException(handler + ": #" + number + " is not an earlier step of \"" + call.template()
                    + "\"");
        }
        return values;
    }

    /** The number {@code operand} is: a literal, or a reference to an answer of one number. */
    static BigDecimal number(HandlerCall call, String operand, String handler) throws HandlerException {
        String trimmed = operand.strip();
        if (REFERENCE.matcher(trimmed).matches()) {
            List<Value> values = values(call, trimmed, handler);
            BigDecimal number = values.size() == 1 ? Numbers.parse(values.get(0).text()) : null;
            if (number == null) {
                throw new HandlerException(handler + ": " + trimmed + " is " + quoted(values)
                        + ", not one number (such as \"475442\", \"4.75e5\" or \"1,234\")");
            }
            return number;
        }
        BigDecimal number = Numbers.parse(trimmed);
        if (number == null) {
            throw new HandlerException(handler + ": \"" + trimmed + "\" is not a number or a #n reference");
        }
        return number;
    }

    static String quoted(List<Value> values) {
        return values.stream().map(value -> "\"" + value.text() + "\"").collect(Collectors.joining(", ", "[", "]"));
    }
}
