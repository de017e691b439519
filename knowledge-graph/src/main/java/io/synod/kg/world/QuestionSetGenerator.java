// Generates the MetaQA-style world question set (train/dev/test JSONL and a README) from the world graph.
package io.synod.kg.world;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.synod.kg.world.QuestionFamily.Candidate;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads {@code world.nt.gz}, draws every family's questions from it ({@link QuestionFamilies}), keeps a
 * seeded sample of the large families, gives each question its anchor's split ({@link SplitAssigner}) and a
 * phrasing (train never uses a family's held-out phrasing), and writes {@code train.jsonl}, {@code dev.jsonl},
 * {@code test.jsonl} and {@code README.md}.
 *
 * <pre>QuestionSetGenerator --graph .../world/world.nt.gz --out .../world/questions --seed 42</pre>
 */
public final class QuestionSetGenerator {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One phrased question, as written to a JSONL line. */
    record Question(String id, String question, List<String> answers, int hops, String family, int phrasing,
                    String topic, String path, List<String> gold, DatasetSplit split) {

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", id);
            json.put("question", question);
            json.put("answers", answers);
            json.put("hops", hops);
            json.put("family", family);
            json.put("phrasing", phrasing);
            json.put("topic", topic);
            json.put("path", path);
            json.put("gold", gold);
            return json;
        }
    }

    /** The families (for their phrasings) and the questions drawn from them. */
    record QuestionSet(List<QuestionFamily> families, List<Question> questions) {}

    private QuestionSetGenerator() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> options = CommandLineOptions.parse(args, Set.of("--graph", "--out"), Map.of("--seed", "42"));
        long seed = Long.parseLong(options.get("--seed"));
        QuestionSet questionSet = generate(WorldIndex.load(Path.of(options.get("--graph"))), seed);
        write(questionSet, Path.of(options.get("--out")), seed);
        System.out.printf("wrote %,d questions to %s%n", questionSet.questions().size(), options.get("--out"));
    }

    /** All questions of all families, in family order, then by id. */
    static QuestionSet generate(WorldIndex index, long seed) {
        SplitAssigner splits = new SplitAssigner(index, seed);
        List<QuestionFamily> families = new QuestionFamilies(index, splits, seed).all();
        List<Question> questions = new ArrayList<>();
        for (QuestionFamily family : families) {
            questions.addAll(phrase(family, splits, seed));
        }
        requireUniqueIds(questions);
        return new QuestionSet(families, questions);
    }

    private static List<Question> phrase(QuestionFamily family, SplitAssigner splits, long seed) {
        Random random = new Random(seed * 17 + family.name().hashCode());
        List<Candidate> sample = sample(family, splits, random);
        List<Question> questions = new ArrayList<>();
        for (Candidate candidate : sample) {
            DatasetSplit split = splits.splitOf(candidate.anchor());
            int choices = split == DatasetSplit.TRAIN ? family.heldOutPhrasing() : QuestionFamily.PHRASINGS_PER_FAMILY;
            int phrasing = random.nextInt(choices);
            questions.add(new Question(family.name() + ":" + candidate.key(),
                    fill(family.phrasings().get(phrasing), candidate.slots()), candidate.answers(), family.hops(),
                    family.name(), phrasing, candidate.topic(), candidate.path(), candidate.gold(), split));
        }
        return questions;
    }

    /**
     * All candidates of a family without a limit; otherwise a seeded sample with 70/15/15 of the limit drawn from
     * each split's candidates, because a few countries hold most of the large cities and would otherwise
     * swing the split sizes. Sorted by key.
     */
    private static List<Candidate> sample(QuestionFamily family, SplitAssigner splits, Random random) {
        List<Candidate> sample = new ArrayList<>();
        List<Candidate> distinct = distinctWording(family.candidates());
        for (DatasetSplit split : DatasetSplit.values()) {
            List<Candidate> inSplit = new ArrayList<>(distinct.stream()
                    .filter(candidate -> splits.splitOf(candidate.anchor()) == split).toList());
            Collections.shuffle(inSplit, random);
            sample.addAll(inSplit.subList(0, Math.min(inSplit.size(), quota(family.limit(), split))));
        }
        sample.sort(Comparator.comparing(Candidate::key));
        return sample;
    }

    /**
     * One candidate per set of names: two cities called Springfield with the same answer, or the pairs
     * (Slovakia, Syria) and (Syria, Slovakia), would otherwise give the same question twice.
     */
    private static List<Candidate> distinctWording(List<Candidate> candidates) {
        Set<List<String>> seen = new HashSet<>();
        return candidates.stream()
                .filter(candidate -> seen.add(Stream.of(candidate.slots().get("x"), candidate.slots().getOrDefault("y", ""))
                        .sorted().toList()))
                .toList();
    }

    private static int quota(int limit, DatasetSplit split) {
        if (limit == Integer.MAX_VALUE) {
            return limit;
        }
        double share = switch (split) {
            case TRAIN -> SplitAssigner.TRAIN_SHARE;
            case DEV -> SplitAssigner.DEV_SHARE;
            case TEST -> 1 - SplitAssigner.TRAIN_SHARE - SplitAssigner.DEV_SHARE;
        };
        return (int) Math.round(limit * share);
    }

    static String fill(String phrasing, Map<String, String> slots) {
        String text = phrasing;
        for (Map.Entry<String, String> slot : slots.entrySet()) {
            text = text.replace("{" + slot.getKey() + "}", slot.getValue());
        }
        if (text.contains("{")) {
            throw new IllegalStateException("unfilled slot in '" + text + "' (slots " + slots.keySet() + ")");
        }
        return text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
    }

    private static void requireUniqueIds(List<Question> questions) {
        Set<String> ids = new HashSet<>();
        for (Question question : questions) {
            if (!ids.add(question.id())) {
                throw new IllegalStateException("duplicate question id " + question.id());
            }
        }
    }

    static void write(QuestionSet questionSet, Path outputDirectory, long seed) throws IOException {
        List<Question> questions = questionSet.questions();
        Files.createDirectories(outputDirectory);
        Map<DatasetSplit, Writer> writers = new EnumMap<>(DatasetSplit.class);
        try {
            for (DatasetSplit split : DatasetSplit.values()) {
                writers.put(split, Files.newBufferedWriter(outputDirectory.resolve(split.fileName()), StandardCharsets.UTF_8));
            }
            for (Question question : questions) {
                Writer writer = writers.get(question.split());
                writer.write(JSON.writeValueAsString(question.toJson()));
                writer.write('\n');
            }
        } finally {
            for (Writer writer : writers.values()) {
                writer.close();
            }
        }
        Files.writeString(outputDirectory.resolve("README.md"), QuestionSetReadme.render(questionSet, seed), StandardCharsets.UTF_8);
    }
}
