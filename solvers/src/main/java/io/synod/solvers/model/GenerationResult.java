// What one prompt of a generation call produced, with its timings.
package io.synod.solvers.model;

/**
 * @param text            the generated text (without the prompt, cut before a stop string)
 * @param tokens          the generated token ids
 * @param finishReason    why generation ended
 * @param promptTokens    tokens in the prompt
 * @param prefillNanos    time of the prompt's forward pass (shared by the whole batch)
 * @param decodeNanos     time of the decode steps (shared by the whole batch)
 */
public record GenerationResult(String text, int[] tokens, FinishReason finishReason, int promptTokens,
                               long prefillNanos, long decodeNanos) {

    public enum FinishReason { END_OF_SEQUENCE, STOP_STRING, LENGTH }
}
