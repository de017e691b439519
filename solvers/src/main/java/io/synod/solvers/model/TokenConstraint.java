// Constrained decoding: which tokens may come next, given what has been generated.
package io.synod.solvers.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Restricts generation to continuations of a given set (as grammar-constrained decoders do): at each step the
 * model's own logits choose among the tokens that keep the text a prefix of some allowed continuation, and
 * the end of sequence is allowed once a whole continuation has been written. Every decision is still the
 * model's; the constraint only rules out text outside the set. Immutable and thread-safe.
 */
public final class TokenConstraint {

    private final Node root = new Node();
    private final int endOfSequence;
    private int longest;

    private TokenConstraint(int endOfSequence) {
        this.endOfSequence = endOfSequence;
    }

    /**
     * The constraint allowing exactly {@code continuations} (token ids), each followed by {@code endOfSequence}.
     *
     * @throws IllegalArgumentException when there is no continuation or one is empty
     */
    public static TokenConstraint of(List<int[]> continuations, int endOfSequence) {
        if (continuations.isEmpty()) {
            throw new IllegalArgumentException("a constraint needs at least one allowed continuation");
        }
        TokenConstraint constraint = new TokenConstraint(endOfSequence);
        for (int[] continuation : continuations) {
            if (continuation.length == 0) {
                throw new IllegalArgumentException("an allowed continuation encodes to no tokens");
            }
            Node node = constraint.root;
            for (int token : continuation) {
                node = node.children.computeIfAbsent(token, t -> new Node());
            }
            node.terminal = true;
            constraint.longest = Math.max(constraint.longest, continuation.length);
        }
        constraint.root.freeze(endOfSequence);
        return constraint;
    }

    /** The most tokens an allowed continuation takes, without the end of sequence. */
    public int longest() {
        return longest;
    }

    /** The tokens allowed after the first {@code count} tokens of {@code generated}; only end of sequence once off the set. */
    public int[] allowed(int[] generated, int count) {
        Node node = root;
        for (int i = 0; i < count && node != null; i++) {
            node = node.children.get(generated[i]);
        }
        if (node == null) {
            return new int[] {endOfSequence};
        }
        return node.allowed;
    }

    /** Sets every logit of a disallowed token to negative infinity. */
    void apply(int[] generated, int count, float[] logits, int offset, int vocabulary) {
        int[] allowed = allowed(generated, count);
        float[] kept = new float[allowed.length];
        for (int i = 0; i < allowed.length; i++) {
            kept[i] = allowed[i] < vocabulary ? logits[offset + allowed[i]] : Float.NEGATIVE_INFINITY;
        }
        Arrays.fill(logits, offset, offset + vocabulary, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < allowed.length; i++) {
            if (allowed[i] < vocabulary) {
                logits[offset + allowed[i]] = kept[i];
            }
        }
    }

    private static final class Node {
        final Map<Integer, Node> children = new HashMap<>();
        boolean terminal;
        int[] allowed;

        void freeze(int endOfSequence) {
            List<Integer> next = new ArrayList<>(children.keySet());
            if (terminal) {
                next.add(endOfSequence);
            }
            allowed = next.stream().mapToInt(Integer::intValue).sorted().toArray();
            children.values().forEach(child -> child.freeze(endOfSequence));
        }
    }
}
