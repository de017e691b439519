// Generates training questions over the world graph's train-split entities: one- to three-hop questions,
// counts, comparisons and yes/no questions, each in many wordings, with the program that answers it.
package io.synod.decomposer.training;

import io.synod.decomposer.training.GeneratedQuestion.ProgramStep;
import io.synod.kg.KnowledgeGraph.Node;
import io.synod.solvers.knowledge.WalkGraph;
import io.synod.solvers.reasoning.Value;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * Question generation. Each pattern picks entities of the right kind from {@link TrainingEntities} (train
 * split only), words the question with {@link Phrasebook} and noise, and builds the program a decomposer
 * should write, executing it on the graph so the answers along the way are real. Patterns whose graph answer
 * is empty, or larger than {@value #MAX_ANSWERS}, are drawn again.
 */
final class QuestionGenerator {

    static final int MAX_ANSWERS = 10;

    private final WalkGraph graph;
    private final TrainingEntities entities;
    private final Random random;

    QuestionGenerator(WalkGraph graph, TrainingEntities entities, long seed) {
        this.graph = graph;
        this.entities = entities;
        this.random = new Random(seed);
    }

    /** Relations asked about, per kind of start entity, and what they lead to. */
    private static final List<String> COUNTRY_FINAL = List.of("capital", "currency", "language", "region", "subregion",
            "continent", "borders", "area", "landlocked");
    private static final List<String> COUNTRY_SET_FINAL = List.of("capital", "currency", "language", "continent", "region");

    /** Draws one question of a random pattern; empty when the draw did not give a usable question. */
    Optional<GeneratedQuestion> next() {
        int pattern = random.nextInt(100);
        if (pattern < 30) {
            return oneHop();
        } else if (pattern < 58) {
            return twoHop();
        } else if (pattern < 72) {
            return threeHop();
        } else if (pattern < 81) {
            return count();
        } else if (pattern < 90) {
            return compare();
        }
        return yesNo();
    }

    private Optional<GeneratedQuestion> oneHop() {
        int kind = random.nextInt(10);
        if (kind < 5) {
            return chain(entities.country(random), List.of(pick(COUNTRY_FINAL)));
        } else if (kind < 7) {
            return chain(entities.city(random), List.of(random.nextBoolean() ? "country" : "population"));
        } else if (kind == 7) {
            return random.nextBoolean() ? chain(entities.capital(random), List.of("capital-of"))
                    : chain(entities.currency(random), List.of("currency-of"));
        }
        return random.nextBoolean() ? chain(entities.noun(random), List.of("hypernym"))
                : chain(entities.instance(random), List.of("instance-hypernym"));
    }

    private Optional<GeneratedQuestion> twoHop() {
        int kind = random.nextInt(10);
        if (kind < 3) {
            return chain(entities.capital(random), List.of("capital-of", pick(COUNTRY_FINAL)));
        } else if (kind < 6) {
            return chain(entities.city(random), List.of("country", pick(COUNTRY_FINAL)));
        } else if (kind < 8) {
            return chain(entities.country(random), List.of("borders", pick(COUNTRY_SET_FINAL)));
        } else if (kind == 8) {
            return chain(entities.noun(random), List.of("hypernym", "hypernym"));
        }
        return random.nextBoolean() ? chain(entities.instance(random), List.of("instance-hypernym", "hypernym"))
                : chain(entities.country(random), List.of("capital", "population"));
    }

    private Optional<GeneratedQuestion> threeHop() {
        int kind = random.nextInt(4);
        return switch (kind) {
            case 0 -> chain(entities.capital(random), List.of("capital-of", "borders", pick(COUNTRY_SET_FINAL)));
            case 1 -> chain(entities.city(random), List.of("country", "borders", pick(COUNTRY_SET_FINAL)));
            case 2 -> chain(entities.noun(random), List.of("hypernym", "hypernym", "hypernym"));
            default -> chain(entities.city(random), List.of("country", "capital", "population"));
        };
    }

    /** A question answered by walking {@code path} from {@code topic}: a chain of selects and projects. */
    private Optional<GeneratedQuestion> chain(String topic, List<String> path) {
        String name = surfaceName(topic);
        String phrase = name;
        for (int hop = 0; hop < path.size() - 1; hop++) {
            phrase = Phrasebook.fill(Phrasebook.pick(Phrasebook.PHRASES.get(path.get(hop)), random), phrase);
        }
        String last = path.get(path.size() - 1);
        String question = Phrasebook.fill(Phrasebook.pickReworded(Phrasebook.QUESTIONS.get(last), random), phrase);
        question = Phrasebook.noise(question, random);
        return program(question, topic, findSurface(question, name), path);
    }

    /**
     * The country or city a WordNet individual is the same thing as, when its name links to one (Kyoto to the
     * city, whose kind the walk then reads from WordNet: {@link WalkGraph#individual}); else the individual.
     */
    private String twin(String individual) {
        String label = graph.label(individual);
        return graph.nameCandidates(label, 1).stream().map(candidate -> candidate.entity().id())
                .filter(id -> graph.individual(id).filter(individual::equals).isPresent())
                .findFirst().orElse(individual);
    }

    /**
     * The program of a question answered by walking {@code path} from {@code named} (or its twin, {@link #twin}),
     * which the question names as {@code surface}: a select, then a select or project per further hop, executed on
     * the graph.
     */
    Optional<GeneratedQuestion> program(String question, String named, String surface, List<String> path) {
        if (surface == null) {
            return Optional.empty();
        }
        // a WordNet individual is walked from its country or city twin, where it has one, as the linker finds it
        String topic = path.get(0).equals("instance-hypernym") ? twin(named) : named;
        Program program = new Program();
        List<Value> current = null;
        for (int hop = 0; hop < path.size(); hop++) {
            String relation = path.get(hop);
            String template = Phrasebook.SUB_QUESTIONS.get(relation);
            if (template == null) {
                return Optional.empty();
            }
            if (hop == 0) {
                current = follow(List.of(topic), relation);
                program.add("select", "kg", Phrasebook.fill(template, surface), List.of(), current);
            } else {
                int reference = program.size();
                String operation = current.size() > 1 ? "project" : "select";
                List<String> ids = current.stream().map(Value::id).toList();
                if (ids.contains(null)) {
                    return Optional.empty();
                }
                current = follow(ids, relation);
                program.add(operation, "kg", Phrasebook.fill(template, "#" + reference), List.of(reference), current);
            }
            if (current.isEmpty() || current.size() > MAX_ANSWERS) {
                return Optional.empty();
            }
        }
        return Optional.of(new GeneratedQuestion("path", question, topic, surface, path, program.steps, program.answers,
                current));
    }

    /** The program of a count question: the relation's values at the topic, then their number. */
    Optional<GeneratedQuestion> countProgram(String question, String topic, String surface, String relation) {
        if (surface == null || !Phrasebook.SUB_QUESTIONS.containsKey(relation)) {
            return Optional.empty();
        }
        List<Value> items = follow(List.of(topic), relation);
        Program program = new Program();
        program.add("select", "kg", Phrasebook.fill(Phrasebook.SUB_QUESTIONS.get(relation), surface), List.of(), items);
        List<Value> count = List.of(Value.of(Integer.toString(items.size())));
        program.add("count", "count", "#1", List.of(1), count);
        return Optional.of(new GeneratedQuestion("count", question, topic, surface, List.of(), program.steps,
                program.answers, count));
    }

    /** Where the question names the entity: its label or one of its aliases, as typed (case aside). */
    String surfaceOf(String question, String id) {
        var entity = graph.graph().entity(id).orElse(null);
        if (entity == null) {
            return null;
        }
        String found = findSurface(question, "\"" + entity.label() + "\"");
        if (found == null) {
            found = findSurface(question, entity.label());
        }
        for (int i = 0; found == null && i < entity.aliases().size(); i++) {
            found = findSurface(question, entity.aliases().get(i));
        }
        return found;
    }

    private Optional<GeneratedQuestion> count() {
        int kind = random.nextInt(3);
        String topic;
        String relation;
        List<String> templates;
        if (kind == 0) {
            topic = entities.country(random);
            relation = "borders";
            templates = Phrasebook.COUNT_BORDERS;
        } else if (kind == 1) {
            topic = entities.country(random);
            relation = "language";
            templates = Phrasebook.COUNT_LANGUAGES;
        } else {
            topic = entities.currency(random);
            relation = "currency-of";
            templates = Phrasebook.COUNT_CURRENCY;
        }
        String name = surfaceName(topic);
        String question = Phrasebook.noise(Phrasebook.fill(Phrasebook.pickReworded(templates, random), name), random);
        return countProgram(question, topic, findSurface(question, name), relation);
    }

    private Optional<GeneratedQuestion> compare() {
        boolean area = random.nextBoolean();
        String first = area ? entities.country(random) : entities.city(random);
        String second = area ? entities.country(random) : entities.city(random);
        if (first.equals(second)) {
            return Optional.empty();
        }
        String relation = area ? "area" : "population";
        String template = Phrasebook.pickReworded(area ? Phrasebook.COMPARE_AREA : Phrasebook.COMPARE_POPULATION, random);
        String firstName = surfaceName(first);
        String secondName = surfaceName(second);
        String question = Phrasebook.noise(template.replace("{A}", firstName).replace("{B}", secondName), random);
        String firstSurface = findSurface(question, firstName);
        String secondSurface = findSurface(question, secondName);
        if (firstSurface == null || secondSurface == null) {
            return Optional.empty();
        }
        return compareProgram(question, first, firstSurface, second, secondSurface, relation,
                Phrasebook.asksForSmaller(template));
    }

    /**
     * The program of a comparison: each entity's value of the relation, then {@code max} (or {@code min} when
     * the smaller wins) over the two, named as the question names them. Empty when a value is missing or the
     * two are within 10% of each other.
     */
    Optional<GeneratedQuestion> compareProgram(String question, String first, String firstSurface, String second,
                                               String secondSurface, String relation, boolean smaller) {
        if (firstSurface == null || secondSurface == null) {
            return Optional.empty();
        }
        List<Value> firstValue = follow(List.of(first), relation);
        List<Value> secondValue = follow(List.of(second), relation);
        if (firstValue.size() != 1 || secondValue.size() != 1) {
            return Optional.empty();
        }
        double a = Double.parseDouble(firstValue.get(0).text());
        double b = Double.parseDouble(secondValue.get(0).text());
        if (Math.max(a, b) < 1.1 * Math.min(a, b)) {
            return Optional.empty();
        }
        String function = smaller ? "min" : "max";
        boolean firstWins = smaller ? a < b : a > b;
        Program program = new Program();
        program.add("select", "kg", Phrasebook.fill(Phrasebook.SUB_QUESTIONS.get(relation), firstSurface), List.of(), firstValue);
        program.add("select", "kg", Phrasebook.fill(Phrasebook.SUB_QUESTIONS.get(relation), secondSurface), List.of(), secondValue);
        List<Value> winner = List.of(graph.value(new Node(firstWins ? first : second,
                graph.label(firstWins ? first : second), false)));
        program.add("compare", "compare", function + "(" + firstSurface + ": #1, " + secondSurface + ": #2)",
                List.of(1, 2), winner);
        return Optional.of(new GeneratedQuestion("compare", question, first, firstSurface, List.of(), program.steps,
                program.answers, winner));
    }

    private Optional<GeneratedQuestion> yesNo() {
        int kind = random.nextInt(3);
        String country = entities.country(random);
        String name = surfaceName(country);
        if (kind == 2) {
            String question = Phrasebook.noise(Phrasebook.fill(Phrasebook.pickReworded(Phrasebook.QUESTIONS.get("landlocked"), random), name), random);
            String surface = findSurface(question, name);
            if (surface == null) {
                return Optional.empty();
            }
            List<Value> answer = follow(List.of(country), "landlocked");
            Program program = new Program();
            program.add("select", "kg", Phrasebook.fill(Phrasebook.SUB_QUESTIONS.get("landlocked"), surface), List.of(), answer);
            return Optional.of(new GeneratedQuestion("yesno", question, country, surface, List.of("landlocked"),
                    program.steps, program.answers, answer));
        }
        boolean borders = kind == 0;
        String relation = borders ? "borders" : "capital";
        List<Value> truth = follow(List.of(country), relation);
        if (truth.isEmpty() && !borders) {
            return Optional.empty();
        }
        String other;
        boolean yes = random.nextBoolean() && !truth.isEmpty();
        if (yes) {
            other = truth.get(random.nextInt(truth.size())).id();
        } else {
            other = borders ? entities.anyCountry(random) : entities.anyCapital(random);
            String candidate = other;
            if (truth.stream().anyMatch(v -> candidate.equals(v.id()))) {
                return Optional.empty();
            }
        }
        String otherName = surfaceName(other);
        String template = Phrasebook.pickReworded(borders ? Phrasebook.YESNO_BORDERS : Phrasebook.YESNO_CAPITAL, random);
        String question = Phrasebook.noise(template.replace("{A}", name).replace("{B}", otherName), random);
        String surface = findSurface(question, name);
        String otherSurface = findSurface(question, otherName);
        if (surface == null || otherSurface == null) {
            return Optional.empty();
        }
        return membershipProgram(question, country, surface, relation, other, otherSurface);
    }

    /**
     * The program of a two-entity yes/no question: the subject's values of the relation ({@code borders}: its
     * neighbours; {@code capital}: its capital), then whether they hold the other entity ({@code contains} for a
     * list, {@code equals} for the one capital). The answer is computed on the graph.
     */
    Optional<GeneratedQuestion> membershipProgram(String question, String subject, String surface, String relation,
                                                  String other, String otherSurface) {
        if (surface == null || otherSurface == null) {
            return Optional.empty();
        }
        List<Value> truth = follow(List.of(subject), relation);
        if (truth.isEmpty() && !relation.equals("borders")) {
            return Optional.empty();
        }
        boolean yes = truth.stream().anyMatch(value -> other.equals(value.id()));
        Program program = new Program();
        program.add("select", "kg", Phrasebook.fill(Phrasebook.SUB_QUESTIONS.get(relation), surface), List.of(), truth);
        List<Value> answer = List.of(Value.of(yes ? "yes" : "no"));
        String function = relation.equals("borders") ? "contains" : "equals";
        program.add("compare", "compare", function + "(#1, " + otherSurface + ")", List.of(1), answer);
        return Optional.of(new GeneratedQuestion("yesno", question, subject, surface, List.of(), program.steps,
                program.answers, answer));
    }

    private List<Value> follow(List<String> ids, String relation) {
        List<Value> values = new ArrayList<>();
        for (Node node : graph.step(ids, relation)) {
            values.add(graph.value(node));
        }
        return values;
    }

    /**
     * How the question names an entity: usually its label, sometimes an alias, sometimes without accents
     * (as people type), WordNet nouns often in quotes.
     */
    private String surfaceName(String id) {
        var entity = graph.graph().entity(id).orElseThrow();
        String name = entity.label();
        if (!entity.aliases().isEmpty() && random.nextDouble() < 0.08) {
            String alias = entity.aliases().get(random.nextInt(entity.aliases().size()));
            if (alias.length() > 2 && alias.chars().anyMatch(Character::isLetter)) {
                name = alias;
            }
        }
        if (random.nextDouble() < 0.12) {
            name = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        }
        if (id.contains("/synset/") && random.nextDouble() < 0.6) {
            name = "\"" + name + "\"";
        }
        return name;
    }

    /** The name as it appears in the (noised) question, so the program copies exactly what the user wrote. */
    private static String findSurface(String question, String name) {
        String lowerQuestion = question.toLowerCase(Locale.ROOT);
        int at = lowerQuestion.indexOf(name.toLowerCase(Locale.ROOT));
        return at < 0 ? null : question.substring(at, at + name.length());
    }

    private String pick(List<String> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static final class Program {
        final List<ProgramStep> steps = new ArrayList<>();
        final List<List<Value>> answers = new ArrayList<>();

        void add(String operation, String handler, String text, List<Integer> references, List<Value> answer) {
            steps.add(new ProgramStep(operation, handler, text, references));
            answers.add(List.copyOf(answer));
        }

        int size() {
            return steps.size();
        }
    }
}
