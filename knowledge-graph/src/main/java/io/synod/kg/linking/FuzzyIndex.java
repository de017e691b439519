// Candidate generation and scoring for fuzzy label matches: character trigrams plus one-deletion neighbours.
package io.synod.kg.linking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Finds the normalised labels (keys) that look like a query.
 *
 * <p>Two candidate generators, each with bounded work per query:
 * <ul>
 *   <li>a character-trigram index (the key padded as {@code "  key "}); the query's trigrams are visited
 *       rarest first and at most {@value #POSTING_BUDGET} postings are read; the {@value #TRIGRAM_CANDIDATES}
 *       keys with the best Dice coefficient go on to scoring;</li>
 *   <li>a deletion index over keys of at most {@value #MAX_DELETION_KEY_LENGTH} characters (Garbe's
 *       symmetric-delete idea): each key is stored with every string obtained by deleting one character,
 *       as a 40-bit hash; a query and its one-character deletions find the keys within one edit, including
 *       a swap of two neighbouring letters, which trigrams miss on short words ("Lmoe" for "Lome").</li>
 * </ul>
 * Trigram candidates must share at least two trigrams with the query (one when the query has fewer than
 * four). Candidates are scored with the best of 0.95 x Jaro-Winkler, the edit similarity
 * (1 - edits / longer length) and a token coverage ("new york" for "new york city", "ouaga" for
 * "ouagadougou"), capped below 1 (1 means exact); those under {@value #MIN_SCORE} are dropped.
 *
 * <p>Immutable after construction; searches are thread-safe (per-thread scratch counters).
 */
final class FuzzyIndex {

    /** Postings read per query, at most: common trigrams (" sa") are skipped once the budget is spent. */
    static final int POSTING_BUDGET = 300_000;
    /** Keys with the best trigram Dice coefficient that are scored in full. */
    static final int TRIGRAM_CANDIDATES = 200;
    /** Longest key (in chars) that gets deletion neighbours: longer ones keep most trigrams after a typo. */
    static final int MAX_DELETION_KEY_LENGTH = 12;
    /** Fuzzy matches scoring below this are dropped. */
    static final double MIN_SCORE = 0.55;
    /** The best a fuzzy match can score: exact matches alone score 1. */
    static final double MAX_SCORE = 0.99;

    private static final int KEY_BITS = 24;
    private static final long KEY_MASK = (1L << KEY_BITS) - 1;

    /** A key and how well it matches the query. */
    record ScoredKey(int key, double score) {
    }

    private final String[] keys;
    private final LongIntMap trigramIds;
    private final int[][] postings;
    private final byte[] trigramCounts;
    private final long[] deletionCodes;
    private final ThreadLocal<int[]> scratch;

    FuzzyIndex(String[] keys) {
        if (keys.length > KEY_MASK) {
            throw new IllegalArgumentException("too many distinct labels for the fuzzy index: " + keys.length);
        }
        this.keys = keys;
        this.trigramIds = new LongIntMap(1 << 16);
        this.trigramCounts = new byte[keys.length];
        // The two generators are independent: build the deletion index on another core meanwhile.
        CompletableFuture<long[]> deletions = CompletableFuture.supplyAsync(this::buildDeletions);
        this.postings = buildTrigrams();
        this.deletionCodes = deletions.join();
        this.scratch = ThreadLocal.withInitial(() -> new int[keys.length]);
    }

    private int[][] buildTrigrams() {
        IntList flat = new IntList(keys.length * 12);
        int[] offsets = new int[keys.length + 1];
        IntList counts = new IntList(1 << 16);
        long[] codes = new long[64];
        for (int key = 0; key < keys.length; key++) {
            int n = trigrams(keys[key], codes);
            int distinct = 0;
            for (int i = 0; i < n; i++) {
                int id = trigramIds.getOrPut(codes[i], counts.size());
                if (id == counts.size()) {
                    counts.add(0);
                }
                codes[distinct++] = id;
            }
            Arrays.sort(codes, 0, distinct);
            int unique = 0;
            for (int i = 0; i < distinct; i++) {
                if (i == 0 || codes[i] != codes[i - 1]) {
                    int id = (int) codes[i];
                    flat.add(id);
                    counts.set(id, counts.get(id) + 1);
                    unique++;
                }
            }
            trigramCounts[key] = (byte) Math.min(unique, 127);
            offsets[key + 1] = flat.size();
        }
        int[][] lists = new int[counts.size()][];
        for (int id = 0; id < lists.length; id++) {
            lists[id] = new int[counts.get(id)];
        }
        int[] fill = new int[lists.length];
        for (int key = 0; key < keys.length; key++) {
            for (int i = offsets[key]; i < offsets[key + 1]; i++) {
                int id = flat.get(i);
                lists[id][fill[id]++] = key;
            }
        }
        return lists;
    }

    /** Writes the padded trigram codes of {@code text} into {@code codes}; returns how many (capped at its length). */
    private static int trigrams(String text, long[] codes) {
        int length = text.length() + 3;
        int count = 0;
        for (int i = 0; i + 3 <= length && count < codes.length; i++) {
            codes[count++] = ((long) paddedChar(text, i) << 32) | ((long) paddedChar(text, i + 1) << 16)
                    | paddedChar(text, i + 2);
        }
        return count;
    }

    private static char paddedChar(String text, int index) {
        int inner = index - 2;
        return inner >= 0 && inner < text.length() ? text.charAt(inner) : ' ';
    }

    private long[] buildDeletions() {
        int total = 0;
        for (String key : keys) {
            if (key.length() <= MAX_DELETION_KEY_LENGTH) {
                total += key.length() + 1;
            }
        }
        long[] codes = new long[total];
        int count = 0;
        for (int key = 0; key < keys.length; key++) {
            String text = keys[key];
            if (text.length() > MAX_DELETION_KEY_LENGTH) {
                continue;
            }
            codes[count++] = (hash(text, -1) << KEY_BITS) | key;
            for (int skip = 0; skip < text.length(); skip++) {
                if (skip > 0 && text.charAt(skip) == text.charAt(skip - 1)) {
                    continue; // deleting either letter of a double gives the same string
                }
                codes[count++] = (hash(text, skip) << KEY_BITS) | key;
            }
        }
        long[] sorted = Arrays.copyOf(codes, count);
        Arrays.sort(sorted);
        return sorted;
    }

    /** A 40-bit hash of {@code text} without the character at {@code skip} (-1: none), as a non-negative long. */
    private static long hash(String text, int skip) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            if (i != skip) {
                h ^= text.charAt(i);
                h *= 0x100000001b3L;
            }
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h >>> (64 - 40 + 1); // 39 bits keep the packed code positive
    }

    /** The keys that look like {@code query} (normalised, not itself a key's exact match), best first. */
    List<ScoredKey> search(String query) {
        if (query.isEmpty()) {
            return List.of();
        }
        IntList candidates = new IntList(TRIGRAM_CANDIDATES + 64);
        trigramCandidates(query, candidates);
        deletionCandidates(query, candidates);
        List<ScoredKey> scored = new ArrayList<>();
        int[] seen = scratch.get();
        for (int i = 0; i < candidates.size(); i++) {
            int key = candidates.get(i);
            if (seen[key] != 0) {
                continue;
            }
            seen[key] = 1;
            String text = keys[key];
            if (text.equals(query)) {
                continue;
            }
            double score = score(query, text);
            if (score >= MIN_SCORE) {
                scored.add(new ScoredKey(key, Math.min(MAX_SCORE, score)));
            }
        }
        for (int i = 0; i < candidates.size(); i++) {
            seen[candidates.get(i)] = 0;
        }
        scored.sort((a, b) -> Double.compare(b.score(), a.score()));
        return scored;
    }

    private void trigramCandidates(String query, IntList out) {
        long[] codes = new long[Math.min(256, query.length() + 3)];
        int n = trigrams(query, codes);
        int[] ids = new int[n];
        int known = 0;
        int distinct = 0;
        long[] sortedCodes = Arrays.copyOf(codes, n);
        Arrays.sort(sortedCodes);
        for (int i = 0; i < n; i++) {
            if (i > 0 && sortedCodes[i] == sortedCodes[i - 1]) {
                continue;
            }
            distinct++;
            int id = trigramIds.get(sortedCodes[i]);
            if (id >= 0) {
                ids[known++] = id;
            }
        }
        if (known == 0) {
            return;
        }
        Integer[] order = new Integer[known];
        for (int i = 0; i < known; i++) {
            order[i] = ids[i];
        }
        Arrays.sort(order, (a, b) -> Integer.compare(postings[a].length, postings[b].length));
        int[] counts = scratch.get();
        IntList touched = new IntList(1024);
        int visited = 0;
        for (Integer id : order) {
            int[] list = postings[id];
            if (visited > 0 && visited + list.length > POSTING_BUDGET) {
                break;
            }
            visited += list.length;
            for (int key : list) {
                if (counts[key]++ == 0) {
                    touched.add(key);
                }
            }
        }
        // Keep the best TRIGRAM_CANDIDATES by Dice coefficient 2|A∩B| / (|A| + |B|), among keys that share
        // at least two trigrams with the query (one for very short queries; typos in short words are the
        // deletion index's job), packed as (dice rank << KEY_BITS | key) so that a plain sort orders them.
        int minimumShared = distinct >= 4 ? 2 : 1;
        long[] ranked = new long[Math.min(touched.size(), 1 << 16)];
        int rankedCount = 0;
        for (int i = 0; i < touched.size(); i++) {
            int key = touched.get(i);
            int shared = counts[key];
            counts[key] = 0;
            if (shared < minimumShared) {
                continue;
            }
            long rank = (long) (2_000_000.0 * shared / (distinct + trigramCounts[key]));
            if (rankedCount == ranked.length) {
                Arrays.sort(ranked);
                System.arraycopy(ranked, ranked.length - TRIGRAM_CANDIDATES, ranked, 0, TRIGRAM_CANDIDATES);
                rankedCount = TRIGRAM_CANDIDATES;
            }
            ranked[rankedCount++] = (rank << KEY_BITS) | key;
        }
        Arrays.sort(ranked, 0, rankedCount);
        for (int i = rankedCount - 1; i >= Math.max(0, rankedCount - TRIGRAM_CANDIDATES); i--) {
            out.add((int) (ranked[i] & KEY_MASK));
        }
    }

    private void deletionCandidates(String query, IntList out) {
        if (query.length() > MAX_DELETION_KEY_LENGTH + 1) {
            return;
        }
        lookUpDeletion(hash(query, -1), out);
        for (int skip = 0; skip < query.length(); skip++) {
            if (skip > 0 && query.charAt(skip) == query.charAt(skip - 1)) {
                continue;
            }
            lookUpDeletion(hash(query, skip), out);
        }
    }

    private void lookUpDeletion(long hash, IntList out) {
        long low = hash << KEY_BITS;
        int index = Arrays.binarySearch(deletionCodes, low);
        if (index < 0) {
            index = -index - 1;
        }
        for (int i = index; i < deletionCodes.length && (deletionCodes[i] >>> KEY_BITS) == hash; i++) {
            out.add((int) (deletionCodes[i] & KEY_MASK));
        }
    }

    /** Similarity of a query to a key, both normalised; see the class comment. */
    static double score(String query, String key) {
        double score = Math.max(0.95 * Similarity.jaroWinkler(query, key), Similarity.editSimilarity(query, key));
        return Math.max(score, tokenCoverage(query, key));
    }

    /**
     * When every query token equals a distinct key token in order (the last may be a prefix of one),
     * 0.5 + 0.45 x (query length / key length); otherwise 0. Rewards partial names: "new york" for
     * "new york city".
     */
    static double tokenCoverage(String query, String key) {
        String[] queryTokens = query.split(" ");
        String[] keyTokens = key.split(" ");
        int k = 0;
        for (int q = 0; q < queryTokens.length; q++) {
            boolean last = q == queryTokens.length - 1;
            while (k < keyTokens.length && !(keyTokens[k].equals(queryTokens[q])
                    || (last && keyTokens[k].startsWith(queryTokens[q])))) {
                k++;
            }
            if (k == keyTokens.length) {
                return 0.0;
            }
            k++;
        }
        return 0.5 + 0.45 * query.length() / key.length();
    }
}
