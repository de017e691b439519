// An example as token ids, with the mask of the tokens the loss is computed on.
package io.synod.solvers.training;

import java.util.Arrays;

/**
 * Token ids and, for each, whether it is a target of the loss (predicted from the tokens before it). The first
 * token is never a target (nothing comes before it). The arrays are not copied: treat them as read-only.
 *
 * @param tokens   the ids: prompt (with the tokenizer's special tokens, a BOS say), completion, end of sequence
 * @param lossMask {@code lossMask[i]} is true when token {@code i} is learned (completion and end-of-sequence tokens)
 * @param line     the data file line it came from, or 0
 */
public record TokenizedExample(int[] tokens, boolean[] lossMask, int line) {

    public TokenizedExample {
        if (tokens.length != lossMask.length) {
            throw new IllegalArgumentException(tokens.length + " tokens but " + lossMask.length + " mask entries");
        }
        if (lossMask.length > 0 && lossMask[0]) {
            throw new IllegalArgumentException("the first token cannot be a target: nothing comes before it");
        }
    }

    public int length() {
        return tokens.length;
    }

    /** Tokens the loss is computed on. */
    public int targets() {
        int count = 0;
        for (boolean target : lossMask) {
            count += target ? 1 : 0;
        }
        return count;
    }

    /** The first {@code length} tokens (this example when it is no longer). */
    public TokenizedExample truncate(int length) {
        if (length >= tokens.length) {
            return this;
        }
        return new TokenizedExample(Arrays.copyOf(tokens, length), Arrays.copyOf(lossMask, length), line);
    }
}
