// calc: arithmetic over numbers and earlier answers, parsed here (no evaluation of arbitrary code).
package io.synod.decomposer.symbolic;

import io.synod.decomposer.program.Handler;
import io.synod.decomposer.program.HandlerCall;
import io.synod.decomposer.program.HandlerException;
import io.synod.decomposer.program.HandlerResult;
import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates {@code + - * /} with parentheses and unary minus over numbers and {@code #n} references
 * (each an answer of one number), by recursive descent:
 * <pre>
 * expression = term (("+" | "-") term)*
 * term       = factor (("*" | "/") factor)*
 * factor     = ("-" | "+") factor | number | "#" digits | "(" expression ")"
 * </pre>
 * The answer is one number written plainly ("12", "0.5"), to 16 significant digits.
 */
public final class CalcHandler implements Handler {

    private static final Pattern NUMBER =
            Pattern.compile("\\d{1,3}(,\\d{3})+(\\.\\d+)?|(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern REFERENCE = Pattern.compile("#\\d+");

    @Override
    public HandlerResult handle(HandlerCall call) throws HandlerException {
        return HandlerResult.of(Numbers.format(new Parser(call).parse()));
    }

    /** One pass over one input. */
    private static final class Parser {
        private final HandlerCall call;
        private final String input;
        private int position;

        Parser(HandlerCall call) {
            this.call = call;
            this.input = call.template().strip();
        }

        BigDecimal parse() throws HandlerException {
            BigDecimal value = expression();
            skipSpaces();
            if (position < input.length()) {
                throw error("unexpected \"" + input.charAt(position) + "\"");
            }
            return value;
        }

        private BigDecimal expression() throws HandlerException {
            BigDecimal value = term();
            while (true) {
                if (accept('+')) {
                    value = value.add(term(), Numbers.PRECISION);
                } else if (accept('-')) {
                    value = value.subtract(term(), Numbers.PRECISION);
                } else {
                    return value;
                }
            }
        }

        private BigDecimal term() throws HandlerException {
            BigDecimal value = factor();
            while (true) {
                if (accept('*')) {
                    value = value.multiply(factor(), Numbers.PRECISION);
                } else if (accept('/')) {
                    int at = position;
                    BigDecimal divisor = factor();
                    if (divisor.signum() == 0) {
                        position = at;
                        throw error("division by zero");
                    }
                    value = value.divide(divisor, Numbers.PRECISION);
                } else {
                    return value;
                }
            }
        }

        private BigDecimal factor() throws HandlerException {
            if (accept('-')) {
                return factor().negate();
            }
            if (accept('+')) {
                return factor();
            }
            if (accept('(')) {
                BigDecimal value = expression();
                if (!accept(')')) {
                    throw error("expected \")\"");
                }
                return value;
            }
            skipSpaces();
            Matcher reference = REFERENCE.matcher(input).region(position, input.length());
            if (reference.lookingAt()) {
                position = reference.end();
                return Arguments.number(call, reference.group(), "calc");
            }
            Matcher number = NUMBER.matcher(input).region(position, input.length());
            if (number.lookingAt()) {
                position = number.end();
                return Numbers.parse(number.group());
            }
            throw error(position < input.length() ? "unexpected \"" + input.charAt(position) + "\"" : "unexpected end");
        }

        private boolean accept(char symbol) {
            skipSpaces();
            if (position < input.length() && input.charAt(position) == symbol) {
                position++;
                return true;
            }
            return false;
        }

        private void skipSpaces() {
            while (position < input.length() && Character.isWhitespace(input.charAt(position))) {
                position++;
            }
        }

        private HandlerException error(String problem) {
            return new HandlerException("calc expects arithmetic over numbers and #n with + - * / and parentheses,"
                    + " as in \"(#1 - #2) / 2\", but got \"" + input + "\" (" + problem + " at position "
                    + (position + 1) + ")");
        }
    }
}
