// count: how many items an earlier answer has.
package io.synod.decomposer.symbolic;

import io.synod.decomposer.program.Handler;
import io.synod.decomposer.program.HandlerCall;
import io.synod.decomposer.program.HandlerException;
import io.synod.decomposer.program.HandlerResult;

/** {@code #n} → the number of items of answer n, as a digit string ({@code "7"}). */
public final class CountHandler implements Handler {

    @Override
    public HandlerResult handle(HandlerCall call) throws HandlerException {
        String input = call.template().strip();
        if (!Arguments.REFERENCE.matcher(input).matches()) {
            throw new HandlerException("count expects \"#n\" (one earlier answer) but got \"" + input + "\"");
        }
        return HandlerResult.of(Integer.toString(Arguments.values(call, input, "count").size()));
    }
}
