// The label index: entities, their labels and aliases, exact and fuzzy look-up, and the mention scanner.
package io.synod.kg.linking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Entity linking over a graph's labels, without any RDF type in sight: entities are ids (IRIs) numbered
 * densely, labels are strings.
 *
 * <p>Every label and alias is normalised by {@link TextNormalizer}; the normal forms ("keys") map to the
 * entities that carry them. Exact look-up is one hash probe. Fuzzy look-up goes through {@link FuzzyIndex}.
 * The mention scanner hashes the sentence's token n-grams, longest first, against the same keys.
 *
 * <p><b>Prominence</b> decides among equally good matches:
 * {@code degree + 2 x log2(1 + population / 1000)}, where the degree counts the entity's triples as
 * subject or object (label and alias triples excluded) and the population is its {@code population}
 * literal (0 when it has none); ties go to the smaller id. The population term lets a large city beat a
 * WordNet synset of the same name (a city of a million counts like twenty more edges: Paris, France,
 * before the synset "Paris" and before Paris, Texas), while a country, with its thousands of cities,
 * beats any synset ("China" the country before "china" the porcelain).
 *
 * <p>Immutable and thread-safe once built.
 */
public final class LinkingIndex {

    /** Longest label, in tokens, that the mention scanner tries (labels longer than this are still found by find). */
    static final int MAX_MENTION_TOKENS = 16;

    /** A matched entity: its number, the label text that matched, a score in (0, 1] and whether it was exact. */
    public record Match(int entity, String matchedLabel, double score, boolean exact) {
    }

    /** A mention in a sentence: {@code [start, end)} char offsets, the text there and its exact matches. */
    public record Span(int start, int end, String text, List<Match> matches) {
    }

    /**
     * The raw content of an index, as persisted next to a TDB2 store: entity ids, primary labels (null
     * when the entity has none), degrees and populations, then label entries (entity number, text, and
     * the text's normal form, or null for "not computed yet").
     */
    public record Data(String[] ids, String[] labels, int[] degrees, long[] populations,
                       int[] labelEntities, String[] labelTexts, String[] labelKeys) {
    }

    private final Data data;
    private final float[] prominence;
    private final Map<String, Integer> entityNumbers;
    private final Map<String, Integer> keyNumbers;
    private final String[] keys;
    private final int[][] keyEntries;
    private final int maxKeyTokens;
    private final FuzzyIndex fuzzy;

    private LinkingIndex(Data given) {
        Data data = given;
        String[] ids = data.ids();
        prominence = new float[ids.length];
        entityNumbers = new HashMap<>(ids.length * 4 / 3 + 1);
        for (int i = 0; i < ids.length; i++) {
            entityNumbers.put(ids[i], i);
            prominence[i] = prominence(data.degrees()[i], data.populations()[i]);
        }
        // Group label entries by normal form.
        String[] texts = data.labelTexts();
        int[] entryKeys = new int[texts.length];
        keyNumbers = new HashMap<>(texts.length * 4 / 3 + 1);
        List<String> keyList = new ArrayList<>();
        int longest = 1;
        // Normalising is the costly part of building (persisted indexes carry the normal forms): spread it over the cores.
        String[] normalised = data.labelKeys() != null ? data.labelKeys()
                : Arrays.stream(texts).parallel().map(TextNormalizer::normalize).toArray(String[]::new);
        for (int entry = 0; entry < texts.length; entry++) {
            String key = normalised[entry];
            if (key.isEmpty()) {
                entryKeys[entry] = -1;
                continue;
            }
            Integer number = keyNumbers.get(key);
            if (number == null) {
                number = keyList.size();
                keyNumbers.put(key, number);
                keyList.add(key);
                longest = Math.max(longest, tokenCount(key));
            }
            entryKeys[entry] = number;
            normalised[entry] = keyList.get(number); // one String per distinct key, not per entry
        }
        keys = keyList.toArray(new String[0]);
        if (data.labelKeys() == null) {
            data = new Data(data.ids(), data.labels(), data.degrees(), data.populations(), data.labelEntities(),
                    texts, normalised);
        }
        this.data = data;
        Data frozen = data;
        maxKeyTokens = Math.min(longest, MAX_MENTION_TOKENS);
        int[] counts = new int[keys.length];
        for (int key : entryKeys) {
            if (key >= 0) {
                counts[key]++;
            }
        }
        keyEntries = new int[keys.length][];
        for (int key = 0; key < keys.length; key++) {
            keyEntries[key] = new int[counts[key]];
        }
        int[] fill = new int[keys.length];
        for (int entry = 0; entry < entryKeys.length; entry++) {
            int key = entryKeys[entry];
            if (key >= 0) {
                keyEntries[key][fill[key]++] = entry;
            }
        }
        Comparator<Integer> byProminence = (a, b) -> compareProminence(frozen.labelEntities()[a], frozen.labelEntities()[b]);
        for (int key = 0; key < keys.length; key++) {
            keyEntries[key] = sortAndDeduplicate(keyEntries[key], byProminence);
        }
        fuzzy = new FuzzyIndex(keys);
    }

    /**
     * Builds the look-up structures over {@code data} (the arrays are kept, not copied). Label keys are
     * computed when {@code data} lacks them; {@link #data()} then has them, ready to persist.
     */
    public static LinkingIndex of(Data data) {
        return new LinkingIndex(data);
    }

    private int[] sortAndDeduplicate(int[] entries, Comparator<Integer> byProminence) {
        if (entries.length == 1) {
            return entries;
        }
        Integer[] boxed = Arrays.stream(entries).boxed().toArray(Integer[]::new);
        Arrays.sort(boxed, byProminence); // stable: an entity's first label entry (its rdfs:label) wins
        IntList kept = new IntList(entries.length);
        Set<Integer> seen = new HashSet<>();
        for (int entry : boxed) {
            if (seen.add(data.labelEntities()[entry])) {
                kept.add(entry);
            }
        }
        return kept.toArray();
    }

    private static int tokenCount(String key) {
        int count = 1;
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) == ' ') {
                count++;
            }
        }
        return count;
    }

    /** Negative when entity {@code a} is more prominent than {@code b} (see the class comment). */
    public int compareProminence(int a, int b) {
        int byProminence = Float.compare(prominence[b], prominence[a]);
        return byProminence != 0 ? byProminence : data.ids()[a].compareTo(data.ids()[b]);
    }

    /** The prominence of an entity: degree + 2 x log2(1 + population / 1000). */
    public double prominence(int entity) {
        return prominence[entity];
    }

    private static float prominence(int degree, long population) {
        return (float) (degree + 2.0 * Math.log1p(population / 1000.0) / Math.log(2.0));
    }

    /** The raw content, for persisting. */
    public Data data() {
        return data;
    }

    /** How many entities are numbered. */
    public int entityCount() {
        return data.ids().length;
    }

    /** How many label entries (labels and aliases) are indexed. */
    public int labelCount() {
        return data.labelTexts().length;
    }

    /** The entity's number, or -1 when the id is not an entity. */
    public int entityNumber(String id) {
        Integer number = entityNumbers.get(id);
        return number == null ? -1 : number;
    }

    /** The entity's id. */
    public String id(int entity) {
        return data.ids()[entity];
    }

    /** The entity's primary label, or null when it has none. */
    public String label(int entity) {
        return data.labels()[entity];
    }

    /** The entity's degree (edges, attributes excluded). */
    public int degree(int entity) {
        return data.degrees()[entity];
    }

    /**
     * Exact matches first (score 1), most prominent first; then fuzzy matches (score in (0, 1)), best
     * score first and prominence among equals; each entity once, at most {@code limit}.
     */
    public List<Match> find(String text, int limit) {
        String query = TextNormalizer.normalize(text);
        if (query.isEmpty() || limit <= 0) {
            return List.of();
        }
        List<Match> matches = new ArrayList<>(exact(query, limit));
        if (matches.size() >= limit) {
            return matches;
        }
        Set<Integer> seen = new HashSet<>();
        matches.forEach(match -> seen.add(match.entity()));
        Map<Integer, Match> fuzzyMatches = new HashMap<>();
        for (FuzzyIndex.ScoredKey scored : fuzzy.search(query)) {
            for (int entry : keyEntries[scored.key()]) {
                int entity = data.labelEntities()[entry];
                if (!seen.contains(entity)) {
                    fuzzyMatches.merge(entity, new Match(entity, data.labelTexts()[entry], scored.score(), false),
                            (old, candidate) -> candidate.score() > old.score() ? candidate : old);
                }
            }
        }
        matches.addAll(best(fuzzyMatches.values(), limit - matches.size()));
        return matches;
    }

    private List<Match> best(Collection<Match> candidates, int limit) {
        return candidates.stream()
                .sorted((a, b) -> {
                    int byScore = Double.compare(b.score(), a.score());
                    return byScore != 0 ? byScore : compareProminence(a.entity(), b.entity());
                })
                .limit(limit)
                .toList();
    }

    /** The exact matches of an already normalised key, most prominent first. */
    private List<Match> exact(String key, int limit) {
        Integer number = keyNumbers.get(key);
        if (number == null) {
            return List.of();
        }
        int[] entries = keyEntries[number];
        List<Match> matches = new ArrayList<>(Math.min(limit, entries.length));
        for (int i = 0; i < entries.length && matches.size() < limit; i++) {
            matches.add(new Match(data.labelEntities()[entries[i]], data.labelTexts()[entries[i]], 1.0, true));
        }
        return matches;
    }

    /**
     * Every mention of a label in {@code sentence}: scanning left to right, the longest token n-gram that
     * is a label wins and the scan resumes after it (so "New York City" hides "York"); n-grams made only of
     * stopwords or single characters are skipped. Each span lists up to {@code matchesPerSpan} exact matches.
     * Cost: one hash probe per n-gram, at most {@code tokens x longest label in tokens} probes.
     */
    public List<Span> mentions(String sentence, int matchesPerSpan) {
        List<TextNormalizer.Token> tokens = TextNormalizer.tokens(sentence);
        List<Span> spans = new ArrayList<>();
        int n = tokens.size();
        int[] prefixEnds = new int[maxKeyTokens + 1];
        StringBuilder joined = new StringBuilder();
        int i = 0;
        while (i < n) {
            int widest = Math.min(maxKeyTokens, n - i);
            joined.setLength(0);
            for (int length = 1; length <= widest; length++) {
                if (length > 1) {
                    joined.append(' ');
                }
                joined.append(tokens.get(i + length - 1).text());
                prefixEnds[length] = joined.length();
            }
            int matched = 0;
            for (int length = widest; length >= 1; length--) {
                String key = joined.substring(0, prefixEnds[length]);
                if (keyNumbers.containsKey(key) && !onlyStopwords(tokens, i, length)) {
                    int start = tokens.get(i).start();
                    int end = tokens.get(i + length - 1).end();
                    spans.add(new Span(start, end, sentence.substring(start, end), exact(key, matchesPerSpan)));
                    matched = length;
                    break;
                }
            }
            i += Math.max(1, matched);
        }
        return spans;
    }

    private static boolean onlyStopwords(List<TextNormalizer.Token> tokens, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (!Stopwords.isStopword(tokens.get(i).text())) {
                return false;
            }
        }
        return true;
    }

    /** Collects entities, degrees, populations and labels while a graph is read, then freezes them. */
    public static final class Builder {

        private final Map<String, Integer> numbers = new HashMap<>(1 << 16);
        private String[] ids = new String[1 << 12];
        private String[] labels = new String[1 << 12];
        private byte[] labelRanks = new byte[1 << 12];
        private int[] degrees = new int[1 << 12];
        private long[] populations = new long[1 << 12];
        private int size;
        private final IntList labelEntities = new IntList(1 << 12);
        private final List<String> labelTexts = new ArrayList<>(1 << 12);

        /** The number of the entity with this id, assigning the next one when it is new. */
        public int entity(String id) {
            Integer number = numbers.get(id);
            if (number != null) {
                return number;
            }
            if (size == ids.length) {
                int capacity = size * 2;
                ids = Arrays.copyOf(ids, capacity);
                labels = Arrays.copyOf(labels, capacity);
                labelRanks = Arrays.copyOf(labelRanks, capacity);
                degrees = Arrays.copyOf(degrees, capacity);
                populations = Arrays.copyOf(populations, capacity);
            }
            ids[size] = id;
            labelRanks[size] = Byte.MAX_VALUE;
            numbers.put(id, size);
            return size++;
        }

        /** Counts one edge at the entity (as subject or object). */
        public void addEdge(int entity) {
            degrees[entity]++;
        }

        /** Records the entity's population (the largest seen wins). */
        public void setPopulation(int entity, long population) {
            populations[entity] = Math.max(populations[entity], population);
        }

        /**
         * Adds a label ({@code alias == false}, rdfs:label) or an alias (skos:altLabel). The entity's
         * primary label is its first rdfs:label without a language tag or in English, else its first
         * rdfs:label in any language.
         */
        public void addLabel(int entity, String text, String language, boolean alias) {
            labelEntities.add(entity);
            labelTexts.add(text);
            if (!alias) {
                byte rank = (byte) (language.isEmpty() || language.toLowerCase().startsWith("en") ? 0 : 1);
                if (rank < labelRanks[entity]) {
                    labelRanks[entity] = rank;
                    labels[entity] = text;
                }
            }
        }

        /**
         * Freezes what was collected. Entities in {@code unlinkable} (relation IRIs, for instance) keep
         * their number and primary label but are not found by text.
         */
        public Data data(Set<String> unlinkable) {
            IntList keptEntities = new IntList(labelEntities.size());
            List<String> keptTexts = new ArrayList<>(labelTexts.size());
            for (int i = 0; i < labelEntities.size(); i++) {
                int entity = labelEntities.get(i);
                if (!unlinkable.contains(ids[entity])) {
                    keptEntities.add(entity);
                    keptTexts.add(labelTexts.get(i));
                }
            }
            // Primary labels first so that, for an entity with several labels, the rdfs:label is the one reported.
            int[] entities = keptEntities.toArray();
            String[] texts = keptTexts.toArray(new String[0]);
            Integer[] order = new Integer[entities.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            String[] primary = Arrays.copyOf(labels, size);
            Arrays.sort(order, Comparator.comparingInt(i -> texts[i].equals(primary[entities[i]]) ? 0 : 1));
            int[] sortedEntities = new int[entities.length];
            String[] sortedTexts = new String[texts.length];
            for (int i = 0; i < order.length; i++) {
                sortedEntities[i] = entities[order[i]];
                sortedTexts[i] = texts[order[i]];
            }
            return new Data(Arrays.copyOf(ids, size), primary, Arrays.copyOf(degrees, size),
                    Arrays.copyOf(populations, size), sortedEntities, sortedTexts, null);
        }
    }
}
