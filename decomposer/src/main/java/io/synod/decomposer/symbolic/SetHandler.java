// union and intersect: set operations over earlier answers, keeping first-seen order.
package io.synod.decomposer.symbolic;

import io.synod.decomposer.program.Handler;
import io.synod.decomposer.program.HandlerCall;
import io.synod.decomposer.program.HandlerException;
import io.synod.decomposer.program.HandlerResult;
import io.synod.decomposer.program.Names;
import io.synod.solvers.reasoning.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code #1 #2 ...} (separated by spaces, commas or "and") → the union, or the intersection, of those
 * answers. Items are the same by graph id when both have one, otherwise by normalised name
 * ({@link Names#sameItem}); the first-seen item is kept, in order.
 */
public final class SetHandler implements Handler {

    private static final Pattern SEPARATOR = Pattern.compile("(\\s*,\\s*|\\s+and\\s+|\\s+)");

    private final boolean intersect;

    private SetHandler(boolean intersect) {
        this.intersect = intersect;
    }

    public static SetHandler union() {
        return new SetHandler(false);
    }

    public static SetHandler intersect() {
        return new SetHandler(true);
    }

    @Override
    public HandlerResult handle(HandlerCall call) throws HandlerException {
        String name = intersect ? "intersect" : "union";
        String input = call.template().strip();
        var lists = new ArrayList<List<Value>>();
        for (String operand : SEPARATOR.split(input)) {
            if (!Arguments.REFERENCE.matcher(operand).matches()) {
                throw new HandlerException(name + " expects references such as \"#1 #2\" but got \"" + input + "\"");
            }
            lists.add(Arguments.values(call, operand, name));
        }
        if (!intersect) {
            return HandlerResult.of(Names.distinct(lists.stream().flatMap(List::stream).toList()));
        }
        var common = new ArrayList<Value>();
        for (Value candidate : Names.distinct(lists.get(0))) {
            boolean everywhere = lists.stream()
                    .allMatch(list -> list.stream().anyMatch(item -> Names.sameItem(item, candidate)));
            if (everywhere) {
                common.add(candidate);
            }
        }
        return HandlerResult.of(common);
    }
}
