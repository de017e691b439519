// K-shot expert selection on a model: runs every candidate on the K examples (exact match of its generated
// output, perplexity of the gold output) and hands the measurements to the selection arithmetic.
package io.synod.solvers.experts;

import io.synod.adapters.experts.AdapterSimilarity;
import io.synod.adapters.experts.KShotExample;
import io.synod.adapters.experts.KShotSelection;
import io.synod.adapters.experts.KShotSelection.Candidate;
import io.synod.adapters.experts.KShotSelection.Selection;
import io.synod.adapters.lora.LoraAdapter;
import io.synod.solvers.answering.AnswerPrompt;
import io.synod.solvers.answering.ModelSolver;
import io.synod.solvers.model.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Measures candidate experts on K labelled examples and selects among them ({@link KShotSelection}):
 * <ul>
 *   <li>an example's prompt is its {@code prompt}, or for a question the direct-answer prompt
 *       ({@link AnswerPrompt#direct}); the gold output is its {@code completion}, or {@code " " + answers[0]};</li>
 *   <li>exact match: the candidate's greedy line (up to a newline, at most
 *       {@value ModelSolver#MAX_LINE_TOKENS} tokens) equals a gold output, ignoring case, surrounding and repeated
 *       spaces (for a question, any of its answers);</li>
 *   <li>perplexity: {@code exp(-Σ log p(gold) / Σ tokens)} over all examples, the gold scored after the prompt
 *       under the candidate (the paper's "reasoning perplexity", on the gold outputs of the examples);</li>
 *   <li>diversity: {@link AdapterSimilarity} of the adapters' updates, read from their directories.</li>
 * </ul>
 * A candidate is a resident expert, or an adapter of the catalogue directory, made resident for the
 * measurement and released after it. One that fails to load is reported in the table and skipped.
 */
public final class ExpertSelector {

    private ExpertSelector() {
    }

    /** The selection and how long it took. */
    public record Report(Selection selection, List<String> candidates, long millis) {
    }

    /**
     * @param catalogue  where non-resident candidates are read from (one adapter per sub-directory); null for none
     * @param candidates the experts to consider; empty for every resident expert and every catalogue adapter
     * @throws IllegalArgumentException naming an unknown candidate (neither resident nor in the catalogue), an
     *                                  example too long for the model, or an out-of-range M or N
     */
    public static Report select(ModelSolver model, Path catalogue, List<String> candidates, List<KShotExample> examples,
                                int m, int n) {
        long start = System.nanoTime();
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("K-shot selection needs at least one example");
        }
        if (m < 1 || m > KShotSelection.MAX_KEPT) {
            throw new IllegalArgumentException("M (candidates kept) must be between 1 and " + KShotSelection.MAX_KEPT
                    + ", got " + m);
        }
        if (n < 1 || n > m) {
            throw new IllegalArgumentException("N (the group size) must be between 1 and M = " + m + ", got " + n);
        }
        List<String> names = candidates.isEmpty() ? everyCandidate(model, catalogue) : List.copyOf(new LinkedHashSet<>(candidates));
        for (String name : names) {
            if (!model.hasExpert(name) && !inCatalogue(catalogue, name)) {
                throw new IllegalArgumentException("unknown expert '" + name + "': it is not resident "
                        + model.experts() + (catalogue == null ? "" : " and the catalogue " + catalogue
                        + " has no adapter of that name (it offers " + catalogueNames(catalogue) + ")"));
            }
        }
        List<String> prompts = new ArrayList<>();
        List<String> golds = new ArrayList<>();
        TextTokenizer tokenizer = model.model().tokenizer();
        int context = model.model().contextLength();
        for (KShotExample example : examples) {
            String prompt = example.form() == KShotExample.Form.QUESTION ? AnswerPrompt.direct(example.input()) : example.input();
            String gold = example.form() == KShotExample.Form.QUESTION ? " " + example.gold() : example.gold();
            int promptTokens = tokenizer.encode(prompt).length;
            int goldTokens = tokenizer.encodeContinuation(gold).length;
            if (promptTokens + Math.max(goldTokens, ModelSolver.MAX_LINE_TOKENS) > context) {
                throw new IllegalArgumentException(example.source() + ": the example's prompt is " + promptTokens
                        + " tokens; with its output it exceeds the model's context of " + context + " tokens");
            }
            prompts.add(prompt);
            golds.add(gold);
        }

        List<Candidate> measured = new ArrayList<>();
        Map<String, LoraAdapter> adapters = new HashMap<>();
        for (String name : names) {
            boolean resident = model.hasExpert(name);
            Path directory = resident ? model.expertDirectory(name) : catalogue.resolve(name);
            try {
                if (!resident) {
                    model.loadExpert(name, directory);
                }
            } catch (RuntimeException e) {
                measured.add(Candidate.failed(name, "failed to load: " + e.getMessage()));
                continue;
            }
            try {
                if (directory != null) {
                    adapters.put(name, LoraAdapter.read(name, directory));
                }
                measured.add(measure(model, name, prompts, golds, examples));
            } catch (RuntimeException e) {
                measured.add(Candidate.failed(name, e.getMessage()));
            } finally {
                if (!resident) {
                    model.unloadExpert(name);
                }
            }
        }
        Selection selection = KShotSelection.select(examples.size(), measured, (first, second) -> {
            LoraAdapter a = adapters.get(first);
            LoraAdapter b = adapters.get(second);
            return a == null || b == null ? 0 : AdapterSimilarity.cosine(a, b);
        }, m, n);
        return new Report(selection, names, (System.nanoTime() - start) / 1_000_000);
    }

    private static Candidate measure(ModelSolver model, String name, List<String> prompts, List<String> golds,
                                     List<KShotExample> examples) {
        List<String> lines = model.completeLines(prompts, name);
        int hits = 0;
        double logLikelihood = 0;
        long tokens = 0;
        for (int i = 0; i < prompts.size(); i++) {
            if (matches(lines.get(i), examples.get(i).outputs())) {
                hits++;
            }
            logLikelihood += model.score(prompts.get(i), List.of(golds.get(i)), name)[0];
            tokens += model.model().tokenizer().encodeContinuation(golds.get(i)).length;
        }
        return Candidate.measured(name, (double) hits / prompts.size(), Math.exp(-logLikelihood / tokens));
    }

    /** Equal after stripping, lower-casing and collapsing runs of spaces. */
    static boolean matches(String generated, List<String> golds) {
        String text = normalise(generated);
        return golds.stream().anyMatch(gold -> normalise(gold).equals(text));
    }

    private static String normalise(String text) {
        return text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    private static List<String> everyCandidate(ModelSolver model, Path catalogue) {
        Set<String> names = new LinkedHashSet<>(model.experts());
        names.addAll(catalogueNames(catalogue));
        return List.copyOf(names);
    }

    private static boolean inCatalogue(Path catalogue, String name) {
        return catalogue != null && name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
                && Files.isRegularFile(catalogue.resolve(name).resolve(LoraAdapter.CONFIG_FILE));
    }

    private static List<String> catalogueNames(Path catalogue) {
        if (catalogue == null || !Files.isDirectory(catalogue)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(catalogue)) {
            return entries.filter(entry -> Files.isRegularFile(entry.resolve(LoraAdapter.CONFIG_FILE)))
                    .map(entry -> entry.getFileName().toString())
                    .filter(entry -> !entry.startsWith("."))
                    .sorted()
                    .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot list the catalogue " + catalogue + ": " + e.getMessage(), e);
        }
    }
}
