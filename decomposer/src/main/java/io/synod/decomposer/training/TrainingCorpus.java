// The training data of the embedded default models, generated from the world graph and the train split.
package io.synod.decomposer.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.synod.kg.KnowledgeGraph;
import io.synod.kg.KnowledgeGraph.Node;
import io.synod.solvers.knowledge.WalkGraph;
import io.synod.solvers.knowledge.WalkPrompt;
import io.synod.solvers.reasoning.Value;
import io.synod.solvers.training.TrainingExample;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The examples of each task of the embedded default: {@code decompose} (question to the next QS line),
 * {@code walk} (choose the start entity, the next relation or {@code answer}), {@code direct} (answer
 * without help) and {@code compose} (answer from the facts the sub-questions found), plus {@code text}:
 * plain sentences for the base model (WordNet glosses and statements of train-split facts). The
 * {@link #OTHER_TASKS} are the rest of the expert bank, trained on the finished base and used by no role by
 * default: {@code lexical-walk} (the walk decisions on WordNet nouns), {@code count-compare} (the answers from
 * facts of the questions that count or compare) and {@code gloss} (define a noun). Everything comes from
 * train-split entities ({@link TrainingEntities}); the same graph and seed give the same corpus, and the other
 * tasks are derived after the rest, with their own random stream, so adding them changed nothing else.
 */
public final class TrainingCorpus {

    public static final List<String> TASKS = List.of("decompose", "walk", "direct", "compose");

    /** The experts of the bank beyond the four roles' own: candidates for selection and routing, distractors. */
    public static final List<String> OTHER_TASKS = List.of("lexical-walk", "count-compare", "gloss");

    /** The longest gloss kept, in characters (the text corpus cuts glosses at the same length). */
    private static final int GLOSS_LENGTH = 160;

    private final Map<String, List<TrainingExample>> examples;
    private final Map<String, List<TrainingExample>> questionSet;
    private final String entitySummary;
    private final int questions;
    private final int questionSetQuestions;

    private TrainingCorpus(Map<String, List<TrainingExample>> examples, Map<String, List<TrainingExample>> questionSet,
                           String entitySummary, int questions, int questionSetQuestions) {
        this.examples = examples;
        this.questionSet = questionSet;
        this.entitySummary = entitySummary;
        this.questions = questions;
        this.questionSetQuestions = questionSetQuestions;
    }

    /** Generates {@code questionCount} questions (with their programs and walks) and a text corpus. */
    public static TrainingCorpus generate(KnowledgeGraph knowledgeGraph, int questionCount, long seed) {
        WalkGraph graph = new WalkGraph(knowledgeGraph);
        TrainingEntities entities = TrainingEntities.from(knowledgeGraph);
        QuestionGenerator generator = new QuestionGenerator(graph, entities, seed);
        TaskExamples tasks = new TaskExamples(graph, seed + 1);
        Map<String, List<Value>> answersByKind = new HashMap<>();
        int made = 0;
        int draws = 0;
        while (made < questionCount && draws < questionCount * 20) {
            draws++;
            Optional<GeneratedQuestion> question = generator.next();
            if (question.isEmpty()) {
                continue;
            }
            List<Value> pool = answersByKind.computeIfAbsent(question.get().kind(), kind -> new ArrayList<>());
            tasks.add(question.get(), pool);
            if (pool.size() < 500) {
                pool.add(question.get().answer().get(0));
            }
            made++;
        }
        List<TrainingExample> text = textCorpus(knowledgeGraph, entities, seed + 2);
        TaskExamples fromQuestionSet = new TaskExamples(graph, seed + 3);
        List<GeneratedQuestion> trainSplit = QuestionSetExamples.read(generator, java.util.Set.copyOf(entities.countries()));
        for (GeneratedQuestion question : trainSplit) {
            List<Value> pool = answersByKind.getOrDefault(question.kind(), List.of());
            fromQuestionSet.add(question, pool);
        }
        Map<String, List<TrainingExample>> examples = new LinkedHashMap<>();
        examples.put("decompose", List.copyOf(tasks.decompose));
        examples.put("walk", List.copyOf(tasks.walk));
        examples.put("direct", List.copyOf(tasks.direct));
        examples.put("compose", List.copyOf(tasks.compose));
        examples.put("text", text);
        Map<String, List<TrainingExample>> questionSet = new LinkedHashMap<>();
        questionSet.put("decompose", List.copyOf(fromQuestionSet.decompose));
        questionSet.put("walk", List.copyOf(fromQuestionSet.walk));
        questionSet.put("direct", List.copyOf(fromQuestionSet.direct));
        questionSet.put("compose", List.copyOf(fromQuestionSet.compose));
        TrainingCorpus corpus = new TrainingCorpus(examples, questionSet, entities.summary(), made, trainSplit.size());
        corpus.examples.put("lexical-walk", corpus.examples("walk").stream().filter(TrainingCorpus::lexical).toList());
        corpus.examples.put("count-compare", corpus.examples("compose").stream()
                .filter(example -> countsOrCompares(example.prompt())).toList());
        corpus.examples.put("gloss", glosses(knowledgeGraph, entities, seed + 4));
        return corpus;
    }

    /** The examples of a task: from generated questions, then from the question set's train split. */
    public List<TrainingExample> examples(String task) {
        List<TrainingExample> list = examples.get(task);
        if (list == null) {
            throw new IllegalArgumentException("unknown task " + task + "; tasks are " + examples.keySet());
        }
        List<TrainingExample> all = new ArrayList<>(list);
        all.addAll(questionSet.getOrDefault(task, List.of()));
        return List.copyOf(all);
    }

    /**
     * Every example of every task from generated questions, and the text, shuffled with the seed: the base
     * model's first phase (the question set's train split is not in it).
     */
    public List<TrainingExample> mixture(long seed) {
        List<TrainingExample> all = new ArrayList<>();
        examples.forEach((task, list) -> {
            if (!OTHER_TASKS.contains(task)) {
                all.addAll(list);
            }
        });
        Collections.shuffle(all, new Random(seed));
        return all;
    }

    /**
     * The decomposition, walk and composition examples of generated questions and of the question set's train
     * split, shuffled with the seed: the base model's second phase.
     */
    public List<TrainingExample> focus(long seed) {
        List<TrainingExample> all = new ArrayList<>();
        for (String task : List.of("decompose", "walk", "compose")) {
            all.addAll(examples(task));
        }
        Collections.shuffle(all, new Random(seed + 1));
        return all;
    }

    public String describe() {
        StringBuilder text = new StringBuilder();
        text.append(questions).append(" generated questions over ").append(entitySummary).append(", and ")
                .append(questionSetQuestions).append(" questions of the question set's train split");
        examples.forEach((task, list) -> text.append("; ").append(task).append(' ').append(examples(task).size()));
        return text.toString();
    }

    /** Writes one JSON Lines file per task ({@code {"prompt","completion"}} or {@code {"text"}}). */
    public void write(Path directory) {
        ObjectMapper json = new ObjectMapper();
        try {
            Files.createDirectories(directory);
            for (String task : examples.keySet()) {
                try (BufferedWriter out = Files.newBufferedWriter(directory.resolve(task + ".jsonl"),
                        StandardCharsets.UTF_8)) {
                    for (TrainingExample example : examples(task)) {
                        ObjectNode row = json.createObjectNode();
                        if (example.prompt().isEmpty()) {
                            row.put("text", example.completion());
                        } else {
                            row.put("prompt", example.prompt());
                            row.put("completion", example.completion());
                        }
                        out.write(json.writeValueAsString(row));
                        out.newLine();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training corpus to " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * A walk decision on WordNet: the walk is at a noun ({@code At: ... [noun]}) or starts at one (the chosen
     * start option is a noun).
     */
    static boolean lexical(TrainingExample example) {
        String at = example.prompt().lines().filter(line -> line.startsWith("At: ")).findFirst().orElse("");
        return at.contains("[noun]") || example.completion().contains("[noun]");
    }

    /**
     * Whether an expert trained for {@code expertTask} was trained for a prompt of the sub-task {@code task}: its own
     * task, or a specialist's part of it: {@code lexical-walk} for a walk at WordNet nouns (at a noun, or choosing a
     * start among nouns only), {@code count-compare} for an answer from facts that count or compare.
     */
    public static boolean trainedFor(String expertTask, String task, String prompt) {
        if (expertTask.equals(task)) {
            return true;
        }
        if (expertTask.equals("lexical-walk") && task.equals("walk")) {
            String at = prompt.lines().filter(line -> line.startsWith("At: ")).findFirst().orElse("");
            if (at.contains("[noun]")) {
                return true;
            }
            String options = prompt.lines().filter(line -> line.startsWith("Options: ")).findFirst().orElse("");
            return at.startsWith("At: " + WalkPrompt.NOWHERE) && !options.isEmpty()
                    && java.util.Arrays.stream(options.substring("Options: ".length()).split(" \\| "))
                    .allMatch(option -> option.endsWith("[noun]"));
        }
        if (expertTask.equals("count-compare") && task.equals("compose")) {
            return countsOrCompares(prompt);
        }
        return false;
    }

    /** An answer from facts whose program counts or compares (a {@code count:} or {@code compare:} fact). */
    static boolean countsOrCompares(String prompt) {
        return prompt.lines().anyMatch(line -> line.startsWith("count: ") || line.startsWith("compare: "));
    }

    /** {@code Define: <noun>\nGloss:} to the noun's WordNet gloss, for 3,000 draws of train-split nouns. */
    private static List<TrainingExample> glosses(KnowledgeGraph graph, TrainingEntities entities, long seed) {
        Random random = new Random(seed);
        Map<String, TrainingExample> byPrompt = new LinkedHashMap<>();
        for (int i = 0; i < 3000; i++) {
            String noun = entities.noun(random);
            String label = graph.entity(noun).orElseThrow().label();
            for (Node gloss : graph.follow(noun, List.of("gloss"))) {
                String definition = gloss.label();
                byPrompt.putIfAbsent(glossPrompt(label), TrainingExample.of(glossPrompt(label),
                        " " + (definition.length() > GLOSS_LENGTH ? definition.substring(0, GLOSS_LENGTH) : definition) + "\n"));
            }
        }
        return List.copyOf(byPrompt.values());
    }

    /** The prompt of the {@code gloss} task. */
    public static String glossPrompt(String noun) {
        return "Define: " + noun + "\nGloss:";
    }

    /** Glosses of train-split nouns and one sentence per fact of each train country. */
    private static List<TrainingExample> textCorpus(KnowledgeGraph graph, TrainingEntities entities, long seed) {
        List<TrainingExample> text = new ArrayList<>();
        Random random = new Random(seed);
        for (String country : entities.countries()) {
            String name = graph.entity(country).orElseThrow().label();
            for (String relation : List.of("capital", "currency", "language", "region", "subregion", "continent", "borders")) {
                List<String> values = graph.follow(country, List.of(relation)).stream().map(Node::label).toList();
                if (!values.isEmpty()) {
                    String question = Phrasebook.fill(Phrasebook.pick(Phrasebook.QUESTIONS.get(relation), random), name);
                    text.add(TrainingExample.text(question + " " + String.join(", ", values) + "."));
                }
            }
        }
        for (int i = 0; i < 3000; i++) {
            String noun = entities.noun(random);
            for (Node gloss : graph.follow(noun, List.of("gloss"))) {
                String label = graph.entity(noun).orElseThrow().label();
                String definition = gloss.label();
                text.add(TrainingExample.text(label + ": " + (definition.length() > 160 ? definition.substring(0, 160) : definition)));
            }
        }
        Collections.shuffle(text, random);
        return List.copyOf(text);
    }

    /** Writes the corpus: {@code TrainingCorpus <output directory> [questions] [seed]}. */
    public static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : "target/corpus");
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 0;
        long start = System.nanoTime();
        try (KnowledgeGraph graph = KnowledgeGraph.bundled()) {
            TrainingCorpus corpus = generate(graph, count, seed);
            corpus.write(out);
            System.out.println(corpus.describe());
        }
        System.out.printf("%.1f s%n", (System.nanoTime() - start) / 1e9);
    }
}
