// A callback for streaming: receives each prompt's new text as it is generated.
package io.synod.solvers.model;

/** Called on the generating thread after each decode step, for every prompt that produced text. */
@FunctionalInterface
public interface TokenListener {
    TokenListener NONE = (prompt, text) -> { };

    /**
     * @param prompt the index of the prompt in the batch
     * @param text   the text added by this step (may be empty while a multi-byte character is incomplete)
     */
    void onText(int prompt, String text);
}
