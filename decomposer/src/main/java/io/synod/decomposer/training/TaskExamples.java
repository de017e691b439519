// Turns generated questions into the training examples of each model task: decomposition, graph walk,
// direct answers and answers from facts.
package io.synod.decomposer.training;

import io.synod.decomposer.model.DecomposerPrompt;
import io.synod.decomposer.model.DecomposerPrompt.DoneStep;
import io.synod.decomposer.model.SubQuestions;
import io.synod.decomposer.training.GeneratedQuestion.ProgramStep;
import io.synod.kg.KnowledgeGraph.Node;
import io.synod.solvers.answering.AnswerPrompt;
import io.synod.solvers.knowledge.WalkGraph;
import io.synod.solvers.knowledge.WalkGraph.StartCandidate;
import io.synod.solvers.knowledge.WalkPrompt;
import io.synod.solvers.reasoning.Value;
import io.synod.solvers.training.TrainingExample;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Per question: every step of its program as a decomposition example (half of the questions also in
 * DaSLaM's form, with the solver's first attempt, right or wrong, after {@code QC}); every decision of the
 * walk that answers each {@code kg} sub-question, and of the walk over the whole question when one walk
 * answers it (choose the start among the linked candidates, then each relation, then {@code answer});
 * the direct answer; and the answer from the program's facts.
 */
final class TaskExamples {

    final List<TrainingExample> decompose = new ArrayList<>();
    final List<TrainingExample> walk = new ArrayList<>();
    final List<TrainingExample> direct = new ArrayList<>();
    final List<TrainingExample> compose = new ArrayList<>();

    private final WalkGraph graph;
    private final Random random;

    TaskExamples(WalkGraph graph, long seed) {
        this.graph = graph;
        this.random = new Random(seed);
    }

    void add(GeneratedQuestion question, List<Value> wrongAnswerPool) {
        String answer = question.answer().get(0).text();
        String attempt = null;
        if (random.nextBoolean()) {
            attempt = random.nextBoolean() || wrongAnswerPool.isEmpty() ? answer
                    : wrongAnswerPool.get(random.nextInt(wrongAnswerPool.size())).text();
        }
        List<DoneStep> done = new ArrayList<>();
        List<AnswerPrompt.Fact> facts = new ArrayList<>();
        for (int i = 0; i < question.steps().size(); i++) {
            ProgramStep step = question.steps().get(i);
            decompose.add(TrainingExample.of(DecomposerPrompt.prompt(question.question(), attempt, done), " " + step.line()));
            List<String> texts = texts(question.answers().get(i));
            if (step.handler().equals("kg")) {
                addSubQuestionWalk(question, i);
            }
            String substituted = substitute(step.text(), question.answers());
            if (!step.handler().equals("kg")) {
                substituted = step.operation() + ": " + substituted;
            }
            facts.add(new AnswerPrompt.Fact(substituted, texts));
            done.add(new DoneStep(step.line(), texts));
        }
        decompose.add(TrainingExample.of(DecomposerPrompt.prompt(question.question(), attempt, done),
                " " + DecomposerPrompt.END));
        if (!question.walk().isEmpty() && question.kind().equals("path")) {
            addWalk(question.question(), question.topic(), question.walk());
        }
        direct.add(TrainingExample.of(AnswerPrompt.direct(question.question()), " " + answer));
        compose.add(TrainingExample.of(AnswerPrompt.withFacts(question.question(), facts), " " + answer));
    }

    /** The walk for one kg sub-question: from the name it mentions, or from the entities it refers to. */
    private void addSubQuestionWalk(GeneratedQuestion question, int index) {
        ProgramStep step = question.steps().get(index);
        String relation = relationOf(question, index);
        if (relation == null) {
            return;
        }
        if (step.references().isEmpty()) {
            String topic = index == 0 || question.kind().equals("path") ? question.topic() : null;
            if (topic == null) {
                return;
            }
            addWalk(step.text(), topic, List.of(relation));
            return;
        }
        List<Value> referenced = question.answers().get(step.references().get(0) - 1);
        List<Value> frontier = step.operation().equals("project")
                ? List.of(referenced.get(random.nextInt(referenced.size()))) : referenced;
        String text = step.text().replace("#" + step.references().get(0), join(frontier));
        List<String> ids = frontier.stream().map(Value::id).toList();
        walkFrom(text, ids, List.of(relation));
    }

    /** The relation a kg sub-question asks about: the path hop for chains, the step's own relation otherwise. */
    private static String relationOf(GeneratedQuestion question, int index) {
        if (question.kind().equals("path") || question.kind().equals("yesno") && !question.walk().isEmpty()) {
            return question.walk().get(index);
        }
        return SubQuestions.parse(question.steps().get(index).text()).map(SubQuestions.Parsed::relation).orElse(null);
    }

    /** A whole walk from a question: the start choice, then each hop. */
    private void addWalk(String text, String topic, List<String> path) {
        List<StartCandidate> candidates = graph.startCandidates(text);
        List<String> options = candidates.stream().map(StartCandidate::option).toList();
        String gold = null;
        for (StartCandidate candidate : candidates) {
            if (candidate.entity().id().equals(topic)) {
                gold = candidate.option();
            }
        }
        if (gold == null) {
            return;
        }
        if (options.size() > 1) {
            walk.add(TrainingExample.of(WalkPrompt.prompt(text, List.of(), "", List.of(), options),
                    WalkPrompt.continuation(gold)));
        }
        walkFrom(text, List.of(topic), path);
    }

    /** The hop decisions from a set of entities along a path, then the stop. */
    private void walkFrom(String text, List<String> start, List<String> path) {
        List<String> ids = start;
        List<Node> nodes = ids.stream().map(id -> new Node(id, graph.label(id), false)).toList();
        List<String> taken = new ArrayList<>();
        for (String relation : path) {
            List<String> options = new ArrayList<>(graph.options(ids));
            options.add(WalkPrompt.ANSWER);
            if (!options.contains(relation)) {
                return;
            }
            walk.add(TrainingExample.of(prompt(text, nodes, taken, options), WalkPrompt.continuation(relation)));
            nodes = graph.step(ids, relation);
            taken.add(relation);
            ids = nodes.stream().filter(node -> !node.literal()).map(Node::id).toList();
            if (nodes.isEmpty()) {
                return;
            }
        }
        List<String> options = new ArrayList<>(ids.isEmpty() ? List.of() : graph.options(ids));
        options.add(WalkPrompt.ANSWER);
        walk.add(TrainingExample.of(prompt(text, nodes, taken, options), WalkPrompt.continuation(WalkPrompt.ANSWER)));
    }

    private String prompt(String text, List<Node> nodes, List<String> taken, List<String> options) {
        List<String> labels = nodes.stream().map(Node::label).toList();
        return WalkPrompt.prompt(text, labels, graph.kindOf(nodes), taken, options);
    }

    private static String substitute(String text, List<List<Value>> answers) {
        String result = text;
        for (int n = answers.size(); n >= 1; n--) {
            result = result.replace("#" + n, join(answers.get(n - 1)));
        }
        return result;
    }

    private static String join(List<Value> values) {
        return String.join(", ", texts(values));
    }

    private static List<String> texts(List<Value> values) {
        return values.stream().map(Value::text).toList();
    }
}
