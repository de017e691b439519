// Arranges tokenized examples into rows and seeded, shuffled batches, with per-example attention masks.
package io.synod.solvers.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The batches of a run, addressable by step so that a resumed run sees the same data in the same order.
 *
 * <p>Rows: each example is cut to the sequence length; examples with no target left are dropped. Without packing a
 * row holds one example; with packing, examples (in a seeded order) fill rows one after another while they fit.
 * Within a row each example attends only to itself, causally, and its positions start at 0, so packing changes no
 * example's loss. Rows are right-padded to the longest row of their batch; padding attends to padding only.
 *
 * <p>Batches: epoch {@code e} shuffles the rows with a generator seeded from the seed and {@code e}, then cuts them
 * into batches in order (the last one may be smaller). Step {@code s} is batch {@code s mod batchesPerEpoch} of
 * epoch {@code s / batchesPerEpoch}.
 */
public final class TrainingBatches {

    /**
     * One batch as flat arrays.
     *
     * @param tokens        [rows, length] input ids
     * @param positions     [rows, length] rotary positions, restarting at 0 for each example
     * @param mask          [rows, 1, 1, length, length] additive attention mask (0 or -inf)
     * @param targets       [rows, length] the id each position predicts (0 where there is none)
     * @param weights       [rows, length] 1 where the position's target counts in the loss, else 0
     * @param realTokens    tokens that are not padding
     * @param targetCount   positions with weight 1
     */
    public record Batch(long[] tokens, long[] positions, float[] mask, long[] targets, float[] weights,
                 int rows, int length, int realTokens, int targetCount) {}

    private final List<List<TokenizedExample>> rows;
    private final int batchSize;
    private final long seed;
    private final int dropped;

    public TrainingBatches(List<TokenizedExample> examples, int batchSize, int sequenceLength, boolean pack, long seed) {
        this.batchSize = batchSize;
        this.seed = seed;
        List<TokenizedExample> usable = new ArrayList<>();
        for (TokenizedExample example : examples) {
            TokenizedExample cut = example.truncate(sequenceLength);
            if (cut.targets() > 0) {
                usable.add(cut);
            }
        }
        dropped = examples.size() - usable.size();
        rows = new ArrayList<>();
        if (!pack) {
            usable.forEach(example -> rows.add(List.of(example)));
            return;
        }
        Collections.shuffle(usable, new Random(seed));
        List<TokenizedExample> row = new ArrayList<>();
        int used = 0;
        for (TokenizedExample example : usable) {
            if (used + example.length() > sequenceLength) {
                rows.add(List.copyOf(row));
                row.clear();
                used = 0;
            }
            row.add(example);
            used += example.length();
        }
        if (!row.isEmpty()) {
            rows.add(List.copyOf(row));
        }
    }

    /** Rows after cutting and packing. */
    public int rows() {
        return rows.size();
    }

    /** Examples left out because nothing to learn was left after cutting them to the sequence length. */
    public int dropped() {
        return dropped;
    }

    public int batchesPerEpoch() {
        return (rows.size() + batchSize - 1) / batchSize;
    }

    /** Target tokens in one epoch. */
    public long targetsPerEpoch() {
        long count = 0;
        for (List<TokenizedExample> row : rows) {
            for (TokenizedExample example : row) {
                count += example.targets();
            }
        }
        return count;
    }

    /** The batch of step {@code step} (counting from 0). */
    public Batch batch(int step) {
        int perEpoch = batchesPerEpoch();
        int epoch = step / perEpoch;
        int index = step % perEpoch;
        List<Integer> order = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed * 0x9E3779B97F4A7C15L + epoch + 1));
        List<List<TokenizedExample>> chosen = new ArrayList<>();
        for (int i = index * batchSize; i < Math.min(rows.size(), (index + 1) * batchSize); i++) {
            chosen.add(rows.get(order.get(i)));
        }
        return assemble(chosen);
    }

    static Batch assemble(List<List<TokenizedExample>> chosen) {
        int batch = chosen.size();
        int length = 0;
        for (List<TokenizedExample> row : chosen) {
            length = Math.max(length, row.stream().mapToInt(TokenizedExample::length).sum());
        }
        long[] tokens = new long[batch * length];
        long[] positions = new long[batch * length];
        long[] targets = new long[batch * length];
        float[] weights = new float[batch * length];
        float[] mask = new float[batch * length * length];
        Arrays.fill(mask, Float.NEGATIVE_INFINITY);
        int realTokens = 0;
        int targetCount = 0;
        int[] segment = new int[length];
        for (int row = 0; row < batch; row++) {
            int base = row * length;
            int at = 0;
            int segmentId = 0;
            for (TokenizedExample example : chosen.get(row)) {
                int[] ids = example.tokens();
                boolean[] lossMask = example.lossMask();
                for (int t = 0; t < ids.length; t++) {
                    tokens[base + at + t] = ids[t];
                    positions[base + at + t] = t;
                    segment[at + t] = segmentId;
                    // position t predicts token t + 1 of the same example
                    if (t + 1 < ids.length && lossMask[t + 1]) {
                        targets[base + at + t] = ids[t + 1];
                        weights[base + at + t] = 1;
                        targetCount++;
                    }
                }
                at += ids.length;
                realTokens += ids.length;
                segmentId++;
            }
            // padding: token 0 at positions counting on; one segment of its own so it never mixes with an example
            for (int t = at; t < length; t++) {
                positions[base + t] = t - at;
                segment[t] = -1;
            }
            for (int query = 0; query < length; query++) {
                int maskBase = (row * length + query) * length;
                for (int key = 0; key <= query; key++) {
                    if (segment[key] == segment[query]) {
                        mask[maskBase + key] = 0;
                    }
                }
            }
        }
        return new Batch(tokens, positions, mask, targets, weights, batch, length, realTokens, targetCount);
    }
}
