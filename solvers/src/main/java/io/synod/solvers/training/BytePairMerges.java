// Learns the merges of a byte-level BPE tokenizer from training text, so that a new small model reads whole
// words and common pieces as single tokens instead of one token per byte.
package io.synod.solvers.training;

import io.synod.solvers.model.ByteLevelTokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte-pair encoding (Sennrich et al. 2016) as GPT-2's byte-level tokenizers do it: the text is split into
 * pieces with the ByteLevel pre-tokenizer's pattern (a word with the space before it, a number, a run of
 * punctuation, white space), each piece is spelt in bytes, and the most frequent adjacent pair of symbols is
 * merged into a new symbol, again and again. Merges never cross pieces, so HuggingFace's tokenizer applies
 * them exactly as learned. Ties are broken by the pair's symbols in byte order, so the result depends on the
 * text alone.
 */
public final class BytePairMerges {
    /** The ByteLevel pre-tokenizer's split pattern ({@code use_regex: true}), as in GPT-2. */
    static final Pattern PIECES = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    private BytePairMerges() {
    }

    /**
     * Learns up to {@code count} merges from {@code texts}; fewer when no pair occurs twice any more.
     *
     * @return the merges in order, each the two symbols merged, spelt in GPT-2's byte characters (the form of
     *     {@code tokenizer.json}'s {@code merges})
     */
    public static List<String[]> learn(Iterable<String> texts, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("merge count must be at least 0, got " + count);
        }
        char[] byteCharacters = ByteLevelTokenizer.byteCharacters();
        Map<String, Long> pieces = new HashMap<>();
        for (String text : texts) {
            Matcher matcher = PIECES.matcher(text);
            while (matcher.find()) {
                pieces.merge(matcher.group(), 1L, Long::sum);
            }
        }
        // symbols: 0-255 the bytes, then one per merge
        List<String> symbols = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            symbols.add(String.valueOf(byteCharacters[b]));
        }
        List<String> sortedPieces = new ArrayList<>(pieces.keySet());
        sortedPieces.sort(null);
        int[][] words = new int[sortedPieces.size()][];
        long[] frequencies = new long[words.length];
        Map<Long, Long> pairCounts = new HashMap<>();
        Map<Long, Set<Integer>> wordsWithPair = new HashMap<>();
        for (int w = 0; w < words.length; w++) {
            byte[] bytes = sortedPieces.get(w).getBytes(StandardCharsets.UTF_8);
            words[w] = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                words[w][i] = bytes[i] & 0xFF;
            }
            frequencies[w] = pieces.get(sortedPieces.get(w));
            addPairs(words[w], w, frequencies[w], pairCounts, wordsWithPair);
        }

        List<String[]> merges = new ArrayList<>(count);
        while (merges.size() < count) {
            long best = -1;
            long bestCount = 1;
            for (Map.Entry<Long, Long> entry : pairCounts.entrySet()) {
                long pair = entry.getKey();
                long pairCount = entry.getValue();
                if (pairCount > bestCount || (pairCount == bestCount && best >= 0
                        && compare(symbols, pair, best) < 0)) {
                    best = pair;
                    bestCount = pairCount;
                }
            }
            if (best < 0) {
                break;
            }
            int left = (int) (best >>> 32);
            int right = (int) best;
            int merged = symbols.size();
            symbols.add(symbols.get(left) + symbols.get(right));
            merges.add(new String[] {symbols.get(left), symbols.get(right)});
            for (int w : wordsWithPair.remove(best)) {
                int[] word = words[w];
                removePairs(word, frequencies[w], pairCounts);
                words[w] = replace(word, left, right, merged);
                addPairs(words[w], w, frequencies[w], pairCounts, wordsWithPair);
            }
            pairCounts.remove(best);
        }
        return merges;
    }

    private static int compare(List<String> symbols, long a, long b) {
        int first = symbols.get((int) (a >>> 32)).compareTo(symbols.get((int) (b >>> 32)));
        return first != 0 ? first : symbols.get((int) a).compareTo(symbols.get((int) b));
    }

    private static long pair(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private static void addPairs(int[] word, int index, long frequency, Map<Long, Long> pairCounts,
                                 Map<Long, Set<Integer>> wordsWithPair) {
        for (int i = 0; i + 1 < word.length; i++) {
            long pair = pair(word[i], word[i + 1]);
            pairCounts.merge(pair, frequency, Long::sum);
            wordsWithPair.computeIfAbsent(pair, k -> new HashSet<>()).add(index);
        }
    }

    private static void removePairs(int[] word, long frequency, Map<Long, Long> pairCounts) {
        for (int i = 0; i + 1 < word.length; i++) {
            long pair = pair(word[i], word[i + 1]);
            long left = pairCounts.merge(pair, -frequency, Long::sum);
            if (left <= 0) {
                pairCounts.remove(pair);
            }
        }
    }

    private static int[] replace(int[] word, int left, int right, int merged) {
        int[] out = new int[word.length];
        int length = 0;
        for (int i = 0; i < word.length; i++) {
            if (i + 1 < word.length && word[i] == left && word[i + 1] == right) {
                out[length++] = merged;
                i++;
            } else {
                out[length++] = word[i];
            }
        }
        return Arrays.copyOf(out, length);
    }
}
