// Scores a reasoner on a question set: hits@1 overall and by family, hops and phrasing, latency percentiles,
// and per-question results.
package io.synod.decomposer.reasoning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synod.decomposer.program.Names;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * An evaluation. A question counts as a hit when the first answer item equals one of its gold forms after
 * {@link Names#normalise} (case, accents and punctuation ignored). A question the reasoner refuses or fails on
 * is a miss with its error kept.
 */
public final class Evaluation {

    /** One question of the set: the fields {@code id}, {@code question}, {@code answers}, and any others as breakdowns. */
    public record Question(String id, String text, List<String> answers, Map<String, String> fields) {
    }

    /** The outcome of one question. */
    public record Result(String id, String question, List<String> gold, String predicted, boolean hit, double millis,
                         String reason, String program, List<String> paths, Map<String, String> fields) {
    }

    /** Hits over a group of questions. */
    public record Tally(int questions, int hits) {
        public double hitsAt1() {
            return questions == 0 ? 0 : (double) hits / questions;
        }
    }

    /** The whole report. */
    public record Report(String strategy, Tally overall, Map<String, Map<String, Tally>> breakdowns, double p50Millis,
                         double p95Millis, List<Result> results) {
    }

    private Evaluation() {
    }

    /**
     * Reads a question file: one JSON object per line with {@code id}, {@code question} and {@code answers}
     * (a list of strings); every other scalar field is kept for breakdowns.
     *
     * @throws IllegalArgumentException naming the file and line of the first bad line
     */
    public static List<Question> read(Path file) {
        ObjectMapper json = new ObjectMapper();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the questions in " + file + ": " + e.getMessage(), e);
        }
        List<Question> questions = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String where = file + ":" + (i + 1);
            JsonNode row;
            try {
                row = json.readTree(line);
            } catch (IOException e) {
                throw new IllegalArgumentException(where + ": not a JSON object: " + e.getMessage().lines().findFirst().orElse(""));
            }
            if (!row.isObject() || !row.path("question").isTextual() || !row.path("answers").isArray()
                    || row.path("answers").isEmpty()) {
                throw new IllegalArgumentException(where + ": expected {\"id\": ..., \"question\": \"...\", \"answers\": [\"...\"]}");
            }
            List<String> answers = new ArrayList<>();
            row.path("answers").forEach(answer -> answers.add(answer.asText()));
            Map<String, String> fields = new TreeMap<>();
            row.fields().forEachRemaining(field -> {
                if (field.getValue().isValueNode() && !List.of("id", "question").contains(field.getKey())) {
                    fields.put(field.getKey(), field.getValue().asText());
                }
            });
            String id = row.path("id").isMissingNode() ? "line-" + (i + 1) : row.path("id").asText();
            questions.add(new Question(id, row.path("question").asText(), List.copyOf(answers), fields));
        }
        if (questions.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no questions");
        }
        return questions;
    }

    /** Asks every question and scores the answers; each result also goes to {@code progress}. */
    public static Report run(Reasoner reasoner, List<Question> questions, AskOptions options, Consumer<Result> progress) {
        return run(List.of(reasoner), questions, options, progress);
    }

    /**
     * As {@link #run(Reasoner, List, AskOptions, Consumer)}, with one worker thread per reasoner (each its own
     * model; they may share a graph). Results keep the order of the questions; {@code progress} is called from
     * the workers, one result at a time.
     */
    public static Report run(List<Reasoner> reasoners, List<Question> questions, AskOptions options,
                             Consumer<Result> progress) {
        Result[] results = new Result[questions.size()];
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (Reasoner reasoner : reasoners) {
            Thread worker = new Thread(() -> {
                for (int index = next.getAndIncrement(); index < questions.size(); index = next.getAndIncrement()) {
                    Result result = answer(reasoner, questions.get(index), options);
                    results[index] = result;
                    synchronized (progress) {
                        progress.accept(result);
                    }
                }
            }, "synod-eval-" + workers.size());
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while evaluating", e);
            }
        }
        return summarise(options.strategy().label(), List.of(results));
    }

    private static Result answer(Reasoner reasoner, Question question, AskOptions options) {
        long start = System.nanoTime();
        try {
            Answer answer = reasoner.ask(question.text(), options);
            boolean hit = answer.known() && matches(answer.first(), question.answers());
            return new Result(question.id(), question.text(), question.answers(), answer.first(), hit,
                    answer.millis(), answer.reason(), answer.program(), answer.paths(), question.fields());
        } catch (RuntimeException e) {
            return new Result(question.id(), question.text(), question.answers(), Answer.UNKNOWN, false,
                    (System.nanoTime() - start) / 1e6, "error: " + e.getMessage(), null, List.of(), question.fields());
        }
    }

    /** Whether a predicted answer matches a gold form. */
    public static boolean matches(String predicted, List<String> gold) {
        String wanted = Names.normalise(predicted);
        return !wanted.isEmpty() && gold.stream().anyMatch(form -> Names.normalise(form).equals(wanted));
    }

    static Report summarise(String strategy, List<Result> results) {
        int hits = (int) results.stream().filter(Result::hit).count();
        Map<String, Map<String, Tally>> breakdowns = new LinkedHashMap<>();
        for (String field : List.of("family", "hops", "phrasing")) {
            Map<String, int[]> counts = new TreeMap<>();
            for (Result result : results) {
                String key = result.fields().get(field);
                if (key != null) {
                    int[] count = counts.computeIfAbsent(key, k -> new int[2]);
                    count[0]++;
                    count[1] += result.hit() ? 1 : 0;
                }
            }
            if (!counts.isEmpty()) {
                Map<String, Tally> tallies = new LinkedHashMap<>();
                counts.forEach((key, count) -> tallies.put(key, new Tally(count[0], count[1])));
                breakdowns.put(field, tallies);
            }
        }
        double[] latencies = results.stream().mapToDouble(Result::millis).sorted().toArray();
        return new Report(strategy, new Tally(results.size(), hits), breakdowns, percentile(latencies, 0.50),
                percentile(latencies, 0.95), List.copyOf(results));
    }

    private static double percentile(double[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

}
