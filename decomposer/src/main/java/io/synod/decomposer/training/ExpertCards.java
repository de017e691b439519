// The cards (expert.json) of the default model's experts: what each does, what it was trained on, and
// exemplars drawn from its task's training examples.
package io.synod.decomposer.training;

import io.synod.adapters.experts.ExpertCard;
import io.synod.kg.KnowledgeGraph;
import io.synod.solvers.training.TrainingExample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One card per task of {@link TrainingCorpus#TASKS} and {@link TrainingCorpus#OTHER_TASKS}. Exemplars are drawn at random (with the seed) from the
 * task's training examples, distinct prompts only: the router's centroid of each expert is the mean hidden
 * state of these inputs, so they should cover the task's forms (DaSLaM's attempt line or not; a walk's start
 * choice and its hops; direct answers and answers from facts).
 */
public final class ExpertCards {

    /**
     * Generated questions of the corpus the exemplars are drawn from (with the train split's): the shipped cards
     * were written by {@link #main} with this many, and the recipe draws them the same way.
     */
    public static final int QUESTIONS = 300;

    /** Exemplars per card. */
    public static final int EXEMPLARS = 16;

    static final String DOMAIN = "questions about the bundled world graph: countries, their capitals, currencies,"
            + " languages, regions and borders, GeoNames cities, WordNet nouns";

    private static final Map<String, String> DOMAINS = Map.of(
            "lexical-walk", "WordNet nouns of the bundled world graph",
            "count-compare", "counting and comparison questions about the bundled world graph",
            "gloss", "WordNet nouns of the bundled world graph");

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "decompose", "Writes the next QS line of a DecomP program after the question and the steps run so far:"
                    + " a sub-question for a handler ([kg], [count], [compare], ...) that may refer to earlier"
                    + " answers as #n, or [EOQ] to end the program.",
            "walk", "Chooses the next move of a Knowledge Solver walk on the graph: the start entity among those a"
                    + " question mentions, then a relation at each hop, or answer.",
            "direct", "Answers a question with no help, from what the model remembers (the DaSLaM first attempt and"
                    + " the lm handler).",
            "compose", "Answers a question from the facts its sub-questions found (DaSLaM's re-answer), choosing among"
                    + " the answers the facts hold.",
            "lexical-walk", "Chooses the next move of a Knowledge Solver walk over WordNet nouns (hypernyms, parts,"
                    + " members, glosses): a specialist of the walk, trained on lexical walks only.",
            "count-compare", "Answers a counting or comparison question (how many, which is larger, does X border Y)"
                    + " from the facts its sub-questions found: a specialist of the re-answer.",
            "gloss", "Defines a WordNet noun: its gloss, after `Define: <noun>` and `Gloss:`. Serves no role of the"
                    + " pipeline; a distractor for selection and routing.");

    private static final Map<String, String> EXAMPLES_OF = Map.of(
            "decompose", "every step of the programs (and the final [EOQ]) of generated questions and of the question"
                    + " set's train split, half of them with a DaSLaM attempt line",
            "walk", "every decision of the walks that answer the kg sub-questions and whole path questions (start"
                    + " entity, relations, answer)",
            "direct", "question to answer pairs",
            "compose", "question, facts of its program's steps, answer",
            "lexical-walk", "the decisions of the walk examples that are at a WordNet noun or start at one (the"
                    + " WordNet part of the walk expert's examples)",
            "count-compare", "the compose examples whose facts hold a count or compare step (the counting and"
                    + " comparison part of the compose expert's examples)",
            "gloss", "Define/Gloss pairs of train-split WordNet nouns (3,000 draws, seed + 4), the gloss cut at 160"
                    + " characters");

    private ExpertCards() {
    }

    /**
     * The card of {@code task}.
     *
     * @param examples    the task's training examples (exemplars are drawn from them)
     * @param trainedOn   the training, in words (examples, steps, rank)
     */
    public static ExpertCard card(String task, List<TrainingExample> examples, String trainedOn, long seed) {
        String description = DESCRIPTIONS.get(task);
        if (description == null) {
            throw new IllegalArgumentException("no card for task " + task + "; tasks are " + DESCRIPTIONS.keySet());
        }
        List<TrainingExample> shuffled = new ArrayList<>(examples);
        Collections.shuffle(shuffled, new Random(seed));
        Set<String> prompts = new LinkedHashSet<>();
        List<ExpertCard.Exemplar> exemplars = new ArrayList<>();
        for (TrainingExample example : shuffled) {
            if (exemplars.size() == EXEMPLARS) {
                break;
            }
            if (!example.prompt().isEmpty() && prompts.add(example.prompt())) {
                exemplars.add(new ExpertCard.Exemplar(example.prompt(), example.completion()));
            }
        }
        return new ExpertCard(task, description, DOMAINS.getOrDefault(task, DOMAIN), task, trainedOn, exemplars);
    }

    /** What an expert of the default recipe was trained on, in words. */
    public static String trainedOn(String task, int examples, int steps, int rank) {
        return String.format(java.util.Locale.ROOT, "LoRA rank %d on every linear projection of the default base model,"
                + " %d steps on %,d %s examples: %s", rank, steps, examples, task, EXAMPLES_OF.get(task));
    }

    /**
     * Writes the cards of the experts (those of the directory among the tasks above) into an existing default-model directory ({@code adapters/<task>/}),
     * drawing exemplars from a corpus of {@code questions} generated questions (and the train split) with the seed;
     * the example counts and steps come from the directory's {@code training.json} and
     * {@code adapter_training.json}. {@code ExpertCards <model directory> [questions] [seed]}.
     */
    public static void main(String[] args) throws IOException {
        Path directory = Path.of(args[0]);
        int questions = args.length > 1 ? Integer.parseInt(args[1]) : QUESTIONS;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 0;
        String corpusLine = Files.readString(directory.resolve("training.json"));
        try (KnowledgeGraph graph = KnowledgeGraph.bundled()) {
            TrainingCorpus corpus = TrainingCorpus.generate(graph, questions, seed);
            for (String task : tasks()) {
                Path adapter = directory.resolve("adapters").resolve(task);
                if (!Files.isDirectory(adapter)) {
                    continue;
                }
                String training = Files.readString(adapter.resolve("adapter_training.json"));
                int steps = number(training, "\"steps\"\\s*:\\s*(\\d+)");
                int rank = number(training, "\"trained_rank\"\\s*:\\s*(\\d+)");
                int examples = number(corpusLine, "; " + task + " (\\d+)");
                card(task, corpus.examples(task), trainedOn(task, examples, steps, rank), seed).write(adapter);
                System.out.println("wrote " + adapter.resolve(ExpertCard.FILE));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Every task of the bank, the roles' first. */
    static List<String> tasks() {
        List<String> all = new ArrayList<>(TrainingCorpus.TASKS);
        all.addAll(TrainingCorpus.OTHER_TASKS);
        return List.copyOf(all);
    }

    private static int number(String text, String pattern) {
        Matcher matcher = Pattern.compile(pattern).matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("no match for " + pattern);
        }
        return Integer.parseInt(matcher.group(1));
    }
}
