// K-shot expert selection (Yang et al. 2024): rank the candidates by exact match and perplexity on K labelled
// examples, keep the top M, and among the N-sized groups of those prefer the most diverse.
package io.synod.adapters.experts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The selection, given each candidate's measurements and the pairwise similarity of their adapters:
 * <ol>
 *   <li>every candidate that was measured gets an exact-match rank (higher accuracy first) and a perplexity
 *       rank (lower first), both competition ranks (ties share the better rank: 1, 2, 2, 4), and their sum;</li>
 *   <li>the top {@code M} by summed rank are kept (ties broken by perplexity, then name);</li>
 *   <li>every group of {@code N} kept candidates gets a quality (the mean summed rank of its members) and a
 *       diversity (the mean pairwise cosine similarity of their adapters, {@link AdapterSimilarity}); groups
 *       are ranked on each (lower is better for both; diversity at a resolution of {@value #DIVERSITY_RESOLUTION}
 *       in cosine) and the group with the lowest sum of the two ranks is chosen, ties going to the more diverse
 *       group, then the better one, then the one whose members come first in the table.</li>
 * </ol>
 * Candidates that failed (to load, to run) are listed in the table with their error and take no part.
 * Pure and deterministic.
 */
public final class KShotSelection {

    /**
     * Mean cosines closer than this are equally diverse when groups are ranked. Adapters trained apart are nearly
     * orthogonal (the default bank's pairwise cosines are 0.001 to 0.05), and ranking their noise-level differences
     * let diversity outvote quality: a group without the best candidate by six times in perplexity was chosen
     * for being 0.002 more orthogonal. The paper's first key is abidance by the K-shot results.
     */
    public static final double DIVERSITY_RESOLUTION = 0.01;

    /** The most candidates kept for grouping: C(16, 8) = 12,870 groups at worst. */
    public static final int MAX_KEPT = 16;

    /**
     * What was measured for one candidate, or why it could not be.
     *
     * @param exactMatch the fraction of examples whose generated output matched a gold output
     * @param perplexity exp of the mean negative log-likelihood per token of the gold outputs
     * @param error      null when measured; otherwise why the candidate was skipped
     */
    public record Candidate(String name, double exactMatch, double perplexity, String error) {
        public Candidate {
            Objects.requireNonNull(name, "name");
        }

        public static Candidate measured(String name, double exactMatch, double perplexity) {
            return new Candidate(name, exactMatch, perplexity, null);
        }

        public static Candidate failed(String name, String error) {
            return new Candidate(name, Double.NaN, Double.NaN, Objects.requireNonNull(error, "error"));
        }

        public boolean ok() {
            return error == null;
        }
    }

    /** Pairwise similarity of two candidates' adapters, by name. */
    @FunctionalInterface
    public interface Similarity {
        double between(String first, String second);
    }

    /**
     * One line of the table. Ranks and position are 0 for a failed candidate.
     *
     * @param position the candidate's place by summed rank (1 = best)
     * @param kept     among the top M
     * @param chosen   in the chosen group
     */
    public record Row(String name, double exactMatch, double perplexity, int exactMatchRank, int perplexityRank,
                      int summedRank, int position, boolean kept, boolean chosen, String error) {
    }

    /**
     * One group of N kept candidates.
     *
     * @param meanSummedRank the mean summed rank of its members (quality; lower is better)
     * @param meanSimilarity the mean pairwise cosine of their adapters (lower is more diverse); 0 for one member
     */
    public record Group(List<String> experts, double meanSummedRank, double meanSimilarity, int qualityRank,
                       int diversityRank, int combinedRank) {
        public Group {
            experts = List.copyOf(experts);
        }
    }

    /**
     * The whole report.
     *
     * @param groups     every group considered, best (lowest combined rank) first
     * @param chosen     the chosen group
     * @param reason     why it was chosen, in one sentence
     * @param similarity the pairwise cosine of the kept candidates' adapters, in table order
     */
    public record Selection(int examples, int m, int n, List<Row> table, List<Group> groups, Group chosen,
                            String reason, Map<String, Map<String, Double>> similarity) {
        public Selection {
            table = List.copyOf(table);
            groups = List.copyOf(groups);
            similarity = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(similarity));
        }

        /** The chosen experts. */
        public List<String> experts() {
            return chosen.experts();
        }
    }

    private KShotSelection() {
    }

    /**
     * @param examples   how many examples the candidates were measured on (for the report)
     * @param candidates in the order given; names must be distinct
     * @param m          how many to keep by summed rank, 1 to {@value #MAX_KEPT}
     * @param n          the group size, 1 to {@code m}
     * @throws IllegalArgumentException when m or n is out of range, names repeat, or no candidate was measured
     */
    public static Selection select(int examples, List<Candidate> candidates, Similarity similarity, int m, int n) {
        if (m < 1 || m > MAX_KEPT) {
            throw new IllegalArgumentException("M (candidates kept) must be between 1 and " + MAX_KEPT + ", got " + m);
        }
        if (n < 1 || n > m) {
            throw new IllegalArgumentException("N (the group size) must be between 1 and M = " + m + ", got " + n);
        }
        if (candidates.stream().map(Candidate::name).distinct().count() != candidates.size()) {
            throw new IllegalArgumentException("the candidates repeat a name: " + candidates.stream().map(Candidate::name).toList());
        }
        List<Candidate> measured = candidates.stream().filter(Candidate::ok).toList();
        if (measured.isEmpty()) {
            throw new IllegalArgumentException("no candidate could be measured: " + candidates.stream()
                    .map(c -> c.name() + " (" + c.error() + ")").toList());
        }
        double[] accuracy = measured.stream().mapToDouble(c -> -c.exactMatch()).toArray();
        double[] perplexity = measured.stream().mapToDouble(c -> Double.isNaN(c.perplexity())
                ? Double.POSITIVE_INFINITY : c.perplexity()).toArray();
        int[] accuracyRanks = competitionRanks(accuracy);
        int[] perplexityRanks = competitionRanks(perplexity);

        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < measured.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingInt(i -> accuracyRanks[i] + perplexityRanks[i])
                .thenComparingDouble(i -> perplexity[i])
                .thenComparing(i -> measured.get(i).name()));
        int keptCount = Math.min(m, measured.size());
        List<Integer> kept = order.subList(0, keptCount);

        // every group of min(n, kept) kept candidates, with its quality and diversity
        int size = Math.min(n, keptCount);
        List<int[]> members = new ArrayList<>();
        combinations(keptCount, size, 0, new int[size], 0, members);
        int groupCount = members.size();
        double[] quality = new double[groupCount];
        double[] diversity = new double[groupCount];
        for (int g = 0; g < groupCount; g++) {
            int[] group = members.get(g);
            double ranks = 0;
            double similarities = 0;
            int pairs = 0;
            for (int a = 0; a < group.length; a++) {
                int i = kept.get(group[a]);
                ranks += accuracyRanks[i] + perplexityRanks[i];
                for (int b = a + 1; b < group.length; b++) {
                    similarities += similarity.between(measured.get(i).name(), measured.get(kept.get(group[b])).name());
                    pairs++;
                }
            }
            quality[g] = ranks / group.length;
            diversity[g] = pairs == 0 ? 0 : similarities / pairs;
        }
        int[] qualityRanks = competitionRanks(quality);
        double[] resolved = new double[groupCount];
        for (int g = 0; g < groupCount; g++) {
            resolved[g] = Math.round(diversity[g] / DIVERSITY_RESOLUTION);
        }
        int[] diversityRanks = competitionRanks(resolved);
        List<Integer> byCombined = new ArrayList<>();
        for (int g = 0; g < groupCount; g++) {
            byCombined.add(g);
        }
        // members are indexes into the kept list, which is in table order: a smaller sum means earlier candidates
        byCombined.sort(Comparator.<Integer>comparingInt(g -> qualityRanks[g] + diversityRanks[g])
                .thenComparingDouble(g -> diversity[g])
                .thenComparingDouble(g -> quality[g])
                .thenComparingInt(g -> java.util.Arrays.stream(members.get(g)).sum()));
        List<Group> groups = new ArrayList<>();
        for (int g : byCombined) {
            List<String> names = new ArrayList<>();
            for (int index : members.get(g)) {
                names.add(measured.get(kept.get(index)).name());
            }
            groups.add(new Group(names, quality[g], diversity[g], qualityRanks[g], diversityRanks[g],
                    qualityRanks[g] + diversityRanks[g]));
        }
        Group chosen = groups.get(0);

        List<Row> table = new ArrayList<>();
        for (int position = 0; position < order.size(); position++) {
            int i = order.get(position);
            Candidate candidate = measured.get(i);
            table.add(new Row(candidate.name(), candidate.exactMatch(), candidate.perplexity(), accuracyRanks[i],
                    perplexityRanks[i], accuracyRanks[i] + perplexityRanks[i], position + 1, position < keptCount,
                    chosen.experts().contains(candidate.name()), null));
        }
        for (Candidate candidate : candidates) {
            if (!candidate.ok()) {
                table.add(new Row(candidate.name(), Double.NaN, Double.NaN, 0, 0, 0, 0, false, false, candidate.error()));
            }
        }
        Map<String, Map<String, Double>> pairwise = new LinkedHashMap<>();
        for (int a : kept) {
            Map<String, Double> row = new LinkedHashMap<>();
            for (int b : kept) {
                String first = measured.get(a).name();
                String second = measured.get(b).name();
                row.put(second, a == b ? 1.0 : similarity.between(first, second));
            }
            pairwise.put(measured.get(a).name(), java.util.Collections.unmodifiableMap(row));
        }
        return new Selection(examples, m, n, table, groups, chosen, reason(chosen, groups.size(), keptCount, size, n),
                pairwise);
    }

    private static String reason(Group chosen, int groupCount, int kept, int size, int n) {
        String group = "{" + String.join(", ", chosen.experts()) + "}";
        if (groupCount == 1) {
            return String.format(Locale.ROOT, "%s: the %d candidate%s kept by summed rank form the only group of %d"
                            + "%s (mean summed rank %.1f, mean pairwise cosine %.3f)", group, kept, kept == 1 ? "" : "s",
                    size, size < n ? " (fewer than N = " + n + " could be measured)" : "", chosen.meanSummedRank(),
                    chosen.meanSimilarity());
        }
        return String.format(Locale.ROOT, "%s has the lowest combined rank (%d) of the %d groups of %d: quality rank %d"
                        + " (mean summed rank %.1f) plus diversity rank %d (mean pairwise cosine %.3f)", group,
                chosen.combinedRank(), groupCount, size, chosen.qualityRank(), chosen.meanSummedRank(),
                chosen.diversityRank(), chosen.meanSimilarity());
    }

    /** Competition ranks of ascending values (1 for the smallest; equal values share a rank). */
    static int[] competitionRanks(double[] values) {
        int[] ranks = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            int rank = 1;
            for (double other : values) {
                if (Double.compare(other, values[i]) < 0) {
                    rank++;
                }
            }
            ranks[i] = rank;
        }
        return ranks;
    }

    private static void combinations(int count, int size, int start, int[] current, int depth, List<int[]> out) {
        if (depth == size) {
            out.add(current.clone());
            return;
        }
        for (int i = start; i <= count - (size - depth); i++) {
            current[depth] = i;
            combinations(count, size, i + 1, current, depth + 1, out);
        }
    }
}
