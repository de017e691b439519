// One training example: a prompt and the completion the model learns to produce after it.
package io.synod.solvers.training;

import java.util.Objects;

/**
 * A prompt and its completion; the loss covers the completion (and the end-of-sequence token after it) only.
 * Plain text is an example with an empty prompt, so the loss covers all of it.
 *
 * @param prompt     the context, not learned; empty for plain text
 * @param completion the text to learn
 * @param line       the line of the data file it came from (1-based), or 0 when it was made in code
 */
public record TrainingExample(String prompt, String completion, int line) {

    public TrainingExample {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(completion, "completion");
    }

    public static TrainingExample of(String prompt, String completion) {
        return new TrainingExample(prompt, completion, 0);
    }

    /** Plain text: every token is learned. */
    public static TrainingExample text(String text) {
        return new TrainingExample("", text, 0);
    }
}
