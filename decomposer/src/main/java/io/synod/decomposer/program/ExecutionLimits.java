// Bounds on one run: how many steps, how deep the recursion, how wide a project or filter.
package io.synod.decomposer.program;

/**
 * Limits of a run. {@code maxSteps} counts the QS steps of one program (a nested program has its
 * own count); {@code maxDepth} is how many levels of nested programs may run below the top one;
 * {@code maxFanOut} is the most items a project or filter step may iterate over. Immutable.
 */
public record ExecutionLimits(int maxSteps, int maxDepth, int maxFanOut) {

    /** 12 steps, 3 levels of nesting, 32 items per project or filter. */
    public static final ExecutionLimits DEFAULT = new ExecutionLimits(12, 3, 32);

    public ExecutionLimits {
        if (maxSteps < 1 || maxDepth < 0 || maxFanOut < 1) {
            throw new IllegalArgumentException("limits must be maxSteps >= 1, maxDepth >= 0, maxFanOut >= 1; got "
                    + maxSteps + ", " + maxDepth + ", " + maxFanOut);
        }
    }

    /** Which limit stopped a run. */
    public enum Kind {
        STEPS,
        DEPTH,
        FAN_OUT,
        /** The step source proposed a step it had already proposed: it is looping. */
        REPEATED_STEP
    }
}
