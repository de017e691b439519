// String similarities used to score fuzzy label matches (both inputs already normalised).
package io.synod.kg.linking;

/** Edit-distance and Jaro-Winkler similarities in [0, 1]. Stateless and thread-safe. */
final class Similarity {

    private Similarity() {
    }

    /**
     * Optimal string alignment distance: insertions, deletions, substitutions and transpositions of
     * adjacent characters each cost 1 (Damerau 1964, restricted form).
     */
    static int editDistance(String a, String b) {
        int n = a.length();
        int m = b.length();
        if (n == 0) {
            return m;
        }
        if (m == 0) {
            return n;
        }
        int[] twoBack = new int[m + 1];
        int[] previous = new int[m + 1];
        int[] current = new int[m + 1];
        for (int j = 0; j <= m; j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= n; i++) {
            current[0] = i;
            char ai = a.charAt(i - 1);
            for (int j = 1; j <= m; j++) {
                char bj = b.charAt(j - 1);
                int cost = ai == bj ? 0 : 1;
                int best = Math.min(Math.min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && ai == b.charAt(j - 2) && a.charAt(i - 2) == bj) {
                    best = Math.min(best, twoBack[j - 2] + 1);
                }
                current[j] = best;
            }
            int[] recycled = twoBack;
            twoBack = previous;
            previous = current;
            current = recycled;
        }
        return previous[m];
    }

    /** 1 - editDistance / longer length. */
    static double editSimilarity(String a, String b) {
        int longer = Math.max(a.length(), b.length());
        return longer == 0 ? 1.0 : 1.0 - (double) editDistance(a, b) / longer;
    }

    /** Jaro-Winkler similarity (Winkler 1990): Jaro plus a bonus for a common prefix of up to 4 characters. */
    static double jaroWinkler(String a, String b) {
        double jaro = jaro(a, b);
        int prefix = 0;
        int limit = Math.min(4, Math.min(a.length(), b.length()));
        while (prefix < limit && a.charAt(prefix) == b.charAt(prefix)) {
            prefix++;
        }
        return jaro + prefix * 0.1 * (1.0 - jaro);
    }

    private static double jaro(String a, String b) {
        int n = a.length();
        int m = b.length();
        if (n == 0 || m == 0) {
            return n == m ? 1.0 : 0.0;
        }
        int window = Math.max(0, Math.max(n, m) / 2 - 1);
        boolean[] matchedA = new boolean[n];
        boolean[] matchedB = new boolean[m];
        int matches = 0;
        for (int i = 0; i < n; i++) {
            int from = Math.max(0, i - window);
            int to = Math.min(m - 1, i + window);
            for (int j = from; j <= to; j++) {
                if (!matchedB[j] && a.charAt(i) == b.charAt(j)) {
                    matchedA[i] = true;
                    matchedB[j] = true;
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0) {
            return 0.0;
        }
        int halfTranspositions = 0;
        int j = 0;
        for (int i = 0; i < n; i++) {
            if (matchedA[i]) {
                while (!matchedB[j]) {
                    j++;
                }
                if (a.charAt(i) != b.charAt(j)) {
                    halfTranspositions++;
                }
                j++;
            }
        }
        double m1 = matches;
        return (m1 / n + m1 / m + (m1 - halfTranspositions / 2.0) / m1) / 3.0;
    }
}
