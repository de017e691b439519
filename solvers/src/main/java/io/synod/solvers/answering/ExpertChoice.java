// Which expert a model call runs under: one named for the whole role, or one routed per call from its prompt.
package io.synod.solvers.answering;

import java.util.function.Function;

/**
 * The expert of one role (decomposing, walking, answering, composing), as the code that makes the role's model
 * calls sees it. {@link #fixed} names one expert (or null for the base model) for every call; {@link #routed}
 * asks a router for each call's prompt (an expert name or a mixture such as {@code walk:0.91+decompose:0.09},
 * see {@link ModelSolver}). Whatever {@link #forPrompt} returns is what the call applies and what its trace
 * event records. Immutable; a routed choice is as thread-safe as its router.
 */
public final class ExpertChoice {

    private final String expert;
    private final Function<String, String> router;

    private ExpertChoice(String expert, Function<String, String> router) {
        this.expert = expert;
        this.router = router;
    }

    /** The same expert for every call; {@code null} for the base model. */
    public static ExpertChoice fixed(String expert) {
        return new ExpertChoice(expert, null);
    }

    /** An expert per call, from {@code router} given the call's prompt. */
    public static ExpertChoice routed(Function<String, String> router) {
        return new ExpertChoice(null, java.util.Objects.requireNonNull(router, "router"));
    }

    public boolean isRouted() {
        return router != null;
    }

    /** The expert (or mixture) the call with this prompt runs under. */
    public String forPrompt(String prompt) {
        return router == null ? expert : router.apply(prompt);
    }

    /**
     * What a step records when it made no model call (a choice with one option): the fixed expert in charge,
     * or null when routed (nothing was routed, no adapter ran).
     */
    public String withoutCall() {
        return expert;
    }
}
