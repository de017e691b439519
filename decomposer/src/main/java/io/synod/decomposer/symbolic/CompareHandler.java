// compare: which labelled number is largest or smallest, and whether an answer contains or equals a name.
package io.synod.decomposer.symbolic;

import io.synod.decomposer.program.Handler;
import io.synod.decomposer.program.HandlerCall;
import io.synod.decomposer.program.HandlerException;
import io.synod.decomposer.program.HandlerResult;
import io.synod.decomposer.program.Names;
import io.synod.solvers.reasoning.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The comparison grammar:
 * <pre>
 * max(Cameroon: #1, Aruba: #2)          the label whose number is largest (all labels on a tie)
 * min(Cameroon: #1, Aruba: 180)         the label whose number is smallest
 * contains(#1, Trinidad and Tobago)     "yes" when some item of #1 has that name, else "no"
 * equals(#1, Bloemfontein)              "yes" when #1 is exactly that one item, else "no"
 * </pre>
 * Operands of max and min are {@code #n} (an answer of one number) or literal numbers ("475442",
 * "4.75e5", "1,234"); a label may itself be {@code #n}. The second argument of contains and equals
 * may be {@code #m}: contains then asks whether every item of #m is in #1, equals whether both hold
 * the same items. Names compare case-, accent- and punctuation-insensitively over every name of an
 * item ({@link Value#names()}).
 */
public final class CompareHandler implements Handler {

    private static final String EXPECTED = "compare expects max(label: #n, label: #n, ...), min(...),"
            + " contains(#n, name) or equals(#n, name)";
    private static final Pattern CALL = Pattern.compile("(\\w+)\\s*\\((.*)\\)", Pattern.DOTALL);
    private static final Pattern LABELLED = Pattern.compile("\\s*(.+?)\\s*:\\s*(#\\d+|[+-]?[\\d.,]+(?:[eE][+-]?\\d+)?)\\s*(,|$)");
    private static final Pattern MEMBERSHIP = Pattern.compile("\\s*(#\\d+)\\s*,\\s*(.+?)\\s*", Pattern.DOTALL);

    @Override
    public HandlerResult handle(HandlerCall call) throws HandlerException {
        String input = call.template().strip();
        Matcher matcher = CALL.matcher(input);
        if (!matcher.matches()) {
            throw new HandlerException(EXPECTED + " but got \"" + input + "\"");
        }
        String function = matcher.group(1).toLowerCase(Locale.ROOT);
        String arguments = matcher.group(2);
        return switch (function) {
            case "max", "min" -> HandlerResult.of(extreme(call, function.equals("max"), arguments, input));
            case "contains", "equals" -> HandlerResult.of(membership(call, function.equals("equals"), arguments, input));
            default -> throw new HandlerException(EXPECTED + " but got \"" + input + "\" (unknown \"" + function + "\")");
        };
    }

    private static List<Value> extreme(HandlerCall call, boolean largest, String arguments, String input)
            throws HandlerException {
        var labels = new ArrayList<String>();
        var numbers = new ArrayList<BigDecimal>();
        Matcher matcher = LABELLED.matcher(arguments);
        int position = 0;
        while (position < arguments.length()) {
            matcher.region(position, arguments.length());
            if (!matcher.lookingAt()) {
                throw new HandlerException(EXPECTED + " but got \"" + input + "\" (expected \"label: #n\" at \""
                        + arguments.substring(position).strip() + "\")");
            }
            labels.add(label(call, matcher.group(1)));
            numbers.add(Arguments.number(call, matcher.group(2), "compare"));
            position = matcher.end();
        }
        if (labels.size() < 2) {
            throw new HandlerException(EXPECTED + " but got \"" + input + "\" (at least two labelled numbers)");
        }
        BigDecimal best = numbers.get(0);
        for (BigDecimal number : numbers) {
            if (largest ? number.compareTo(best) > 0 : number.compareTo(best) < 0) {
                best = number;
            }
        }
        var winners = new ArrayList<Value>();
        for (int index = 0; index < labels.size(); index++) {
            if (numbers.get(index).compareTo(best) == 0) {
                winners.add(Value.of(labels.get(index)));
            }
        }
        return winners;
    }

    private static String label(HandlerCall call, String label) throws HandlerException {
        if (Arguments.REFERENCE.matcher(label).matches()) {
            return Arguments.values(call, label, "compare").stream().map(Value::text).collect(Collectors.joining(", "));
        }
        return label;
    }

    private static List<Value> membership(HandlerCall call, boolean equals, String arguments, String input)
            throws HandlerException {
        Matcher matcher = MEMBERSHIP.matcher(arguments);
        if (!matcher.matches()) {
            throw new HandlerException(EXPECTED + " but got \"" + input + "\" (expected \"#n, name\")");
        }
        List<Value> items = Arguments.values(call, matcher.group(1), "compare");
        String wanted = matcher.group(2);
        List<Value> others = Arguments.REFERENCE.matcher(wanted).matches()
                ? Arguments.values(call, wanted, "compare")
                : List.of(Value.of(wanted));
        boolean answer = others.stream().allMatch(other -> items.stream().anyMatch(item -> Names.sameItem(item, other)));
        if (equals) {
            answer = answer && !items.isEmpty()
                    && items.stream().allMatch(item -> others.stream().anyMatch(other -> Names.sameItem(item, other)));
        }
        return List.of(Value.of(answer ? "yes" : "no"));
    }
}
