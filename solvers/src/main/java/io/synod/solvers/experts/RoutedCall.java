// One model call the router routed: the sub-task it served and the gate's decision.
package io.synod.solvers.experts;

/**
 * @param task        the sub-task of the role that made the call (decompose, walk, direct, compose): known from
 *                    which handler asked, the label routing accuracy is measured against
 * @param decision    what the gate chose
 * @param chosenTask  the task the decision's top expert was trained for (its card's {@code task})
 * @param prompt      the prompt the gate routed
 */
public record RoutedCall(String task, GateDecision decision, String chosenTask, String prompt) {

    /**
     * Whether the top expert is the one trained for the call's sub-task (the role's own expert; a specialist trained
     * on part of the sub-task, such as a walk expert of WordNet only, does not count here).
     */
    public boolean correct() {
        return task.equals(chosenTask);
    }
}
