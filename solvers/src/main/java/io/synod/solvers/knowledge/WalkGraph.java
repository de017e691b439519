// The knowledge graph as the walk sees it: relation options at a set of entities, one hop along an
// option, how an entity is described, and the candidate start entities of a question.
package io.synod.solvers.knowledge;

import io.synod.kg.KnowledgeGraph;
import io.synod.kg.KnowledgeGraph.Candidate;
import io.synod.kg.KnowledgeGraph.Direction;
import io.synod.kg.KnowledgeGraph.Edge;
import io.synod.kg.KnowledgeGraph.Entity;
import io.synod.kg.KnowledgeGraph.Mention;
import io.synod.kg.KnowledgeGraph.Node;
import io.synod.kg.KnowledgeGraph.RelationSummary;
import io.synod.solvers.reasoning.Value;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A read-only view of a {@link KnowledgeGraph} for walking. Relation options are written as the graph's
 * path syntax does: {@code capital} forward, {@code capital-of} backwards. Bookkeeping relations
 * ({@code type}, {@code gloss}, schema terms) are not offered, nor {@code borders-of}, which repeats the
 * symmetric {@code borders}. Thread-safe as the graph is.
 */
public final class WalkGraph {

    private static final Set<String> HIDDEN = Set.of("type", "gloss", "comment", "domain", "range", "label",
            "borders-of");
    /** Start candidates kept per mention (the most prominent sense: the model chooses among mentions), and in all. */
    private static final int CANDIDATES_PER_MENTION = 1;
    private static final int MAX_START_CANDIDATES = 10;
    /** Senses of a name looked at when linking it for a relation. */
    private static final int SENSES_LOOKED_AT = 10;
    /** Entities of a type looked at to learn the relations the type usually has. */
    private static final int TYPE_SAMPLE = 400;
    /** The relation a country or city takes from the WordNet individual that is the same thing. */
    static final String INSTANCE_OF = "instance-hypernym";
    /**
     * What a WordNet individual must be an instance of (the last word of the class: "African country",
     * "national capital") to be the same thing as a country or a city of the graph of the same name.
     */
    private static final Map<String, Set<String>> INDIVIDUAL_CLASSES = Map.of(
            "country", Set.of("country", "nation", "state", "kingdom", "republic", "island", "colony", "territory",
                    "dependency", "principality", "emirate", "sultanate", "commonwealth", "archipelago"),
            "city", Set.of("city", "town", "port", "capital", "village", "metropolis", "municipality", "borough",
                    "resort", "seaport", "township"));

    private final KnowledgeGraph graph;
    /**
     * The forward relations at least half of a kind's entities have, by kind (a type, with its individuals apart:
     * "synset" and "synset individual"); learned once per kind.
     */
    private final Map<String, Set<String>> usualByKind = new ConcurrentHashMap<>();
    /** The WordNet individual of each country or city looked at (empty when there is none), learned once per entity. */
    private final Map<String, Optional<String>> individuals = new ConcurrentHashMap<>();

    public WalkGraph(KnowledgeGraph graph) {
        this.graph = graph;
    }

    public KnowledgeGraph graph() {
        return graph;
    }

    /** A candidate start entity: the entity and the option text the model scores for it. */
    public record StartCandidate(Entity entity, String option, String mention) {
    }

    /**
     * The relation options at these entities (the union over all of them), sorted by name. A country or city
     * that is also a WordNet individual ({@link #individual}) offers that individual's {@value #INSTANCE_OF}.
     */
    public List<String> options(Collection<String> ids) {
        Set<String> options = new TreeSet<>();
        for (String id : ids) {
            for (RelationSummary summary : graph.relationsOf(id)) {
                String option = option(summary.relation().name(), summary.direction());
                if (!HIDDEN.contains(option)) {
                    options.add(option);
                }
            }
            if (!options.contains(INSTANCE_OF) && individual(id).isPresent()) {
                options.add(INSTANCE_OF);
            }
        }
        return List.copyOf(options);
    }

    /**
     * The WordNet individual that is the same thing as this country or city: a noun written as its name is
     * (ignoring case and accents) and an instance of a kind of country ("African country", "island") or of city
     * ("national capital", "town"). The world data knows Kyoto's country and population, WordNet that it is a
     * city; the walk sees one Kyoto. A person or a river named as a town is no such individual.
     */
    public Optional<String> individual(String id) {
        String type = typeOf(id);
        Set<String> classes = type == null ? null : INDIVIDUAL_CLASSES.get(type.toLowerCase(Locale.ROOT));
        if (classes == null) {
            return Optional.empty();
        }
        return individuals.computeIfAbsent(id, unused -> {
            for (Candidate candidate : graph.find(label(id), 20)) {
                if (!candidate.exact() || !isNoun(candidate.entity())) {
                    continue;
                }
                for (Node kind : graph.follow(candidate.entity().id(), List.of(INSTANCE_OF))) {
                    String[] words = kind.label().toLowerCase(Locale.ROOT).split(" ");
                    if (classes.contains(words[words.length - 1])) {
                        return Optional.of(candidate.entity().id());
                    }
                }
            }
            return Optional.empty();
        });
    }

    /**
     * The relations the kind of these entities usually has (at least half of {@value #TYPE_SAMPLE} entities of the
     * type, as many of them individuals as these are, have them, forward) that none of them has: an island, a
     * country with no {@code borders} edge. A hop along one reaches nothing, which is an answer (none), not a dead
     * end. A WordNet individual (Attila, Borneo) is learned from individuals: it is an instance, so lacks no
     * {@code hypernym}, as common nouns usually have. Empty unless every entity is of the kind of the first.
     */
    public List<String> missingUsualOptions(Collection<String> ids) {
        return missingUsualOptions(ids, options(ids));
    }

    /**
     * What a walk may ask at these entities: their relation options ({@link #options}) and those their kind
     * usually has and they lack ({@link #missingUsualOptions}), sorted by name.
     */
    public List<String> askable(Collection<String> ids) {
        List<String> offered = options(ids);
        Set<String> askable = new TreeSet<>(offered);
        askable.addAll(missingUsualOptions(ids, offered));
        return List.copyOf(askable);
    }

    private List<String> missingUsualOptions(Collection<String> ids, List<String> offered) {
        if (ids.isEmpty()) {
            return List.of();
        }
        String first = ids.iterator().next();
        String type = typeOf(first);
        boolean individual = isIndividual(first);
        if (type == null || !ids.stream().allMatch(id -> type.equals(typeOf(id)) && isIndividual(id) == individual)) {
            return List.of();
        }
        Set<String> missing = new TreeSet<>(usualByKind.computeIfAbsent(type + (individual ? " individual" : ""),
                unused -> usualRelations(first, individual)));
        missing.removeAll(offered);
        return List.copyOf(missing);
    }

    /** Whether the graph has the entity as an instance of a kind (a WordNet individual). */
    private boolean isIndividual(String id) {
        return graph.relationsOf(id).stream().anyMatch(summary -> summary.direction() == Direction.OUT
                && summary.relation().name().equals(INSTANCE_OF));
    }

    /** The first type of an entity (as the graph's entity index has it), or null. */
    private String typeOf(String id) {
        return graph.entity(id).map(Entity::types).filter(types -> !types.isEmpty()).map(types -> types.get(0))
                .orElse(null);
    }

    /**
     * The usual relations of the kind of {@code entity}, from a sample of the entities of its type that are
     * individuals or not as it is (two queries and the sample's relations, once per kind).
     */
    private Set<String> usualRelations(String entity, boolean individual) {
        List<List<String>> type = graph.sparql("SELECT ?type WHERE { <" + entity + "> a ?type } LIMIT 1").rows();
        if (type.isEmpty()) {
            return Set.of();
        }
        // individuals or not as the entity is, chosen by the query (a graph without instances has no individuals)
        String kind = graph.relations().stream().filter(relation -> relation.name().equals(INSTANCE_OF)).findFirst()
                .map(relation -> (individual ? " FILTER EXISTS" : " FILTER NOT EXISTS") + " { ?entity <" + relation.id()
                        + "> ?kind }")
                .orElse("");
        List<String> sample = graph.sparql("SELECT ?entity WHERE { ?entity a <" + type.get(0).get(0) + "> ." + kind
                + " } LIMIT " + TYPE_SAMPLE).rows().stream().map(row -> row.get(0)).toList();
        Map<String, Integer> having = new HashMap<>();
        for (String member : sample) {
            for (RelationSummary summary : graph.relationsOf(member)) {
                String option = option(summary.relation().name(), summary.direction());
                if (summary.direction() == Direction.OUT && !HIDDEN.contains(option)) {
                    having.merge(option, 1, Integer::sum);
                }
            }
        }
        Set<String> usual = new TreeSet<>();
        having.forEach((option, count) -> {
            if (2 * count >= sample.size()) {
                usual.add(option);
            }
        });
        return Set.copyOf(usual);
    }

    /**
     * The nodes reached from any of {@code ids} along {@code option}, in first-reached order, without repeats
     * ({@value #INSTANCE_OF} from a country or city is its WordNet individual's).
     */
    public List<Node> step(Collection<String> ids, String option) {
        Map<String, Node> reached = new LinkedHashMap<>();
        for (String id : ids) {
            Collection<Node> nodes = graph.follow(id, List.of(option));
            if (nodes.isEmpty() && option.equals(INSTANCE_OF)) {
                nodes = individual(id).map(noun -> graph.follow(noun, List.of(option))).orElse(Set.of());
            }
            for (Node node : nodes) {
                reached.putIfAbsent(node.id(), node);
            }
        }
        return List.copyOf(reached.values());
    }

    /** The answer value of a node: entities with their aliases, booleans as yes/no, other literals as written. */
    public Value value(Node node) {
        if (node.literal()) {
            return switch (node.label()) {
                case "true" -> Value.of("yes");
                case "false" -> Value.of("no");
                default -> Value.of(node.label());
            };
        }
        Optional<Entity> entity = graph.entity(node.id());
        return entity.map(e -> Value.entity(e.label(), e.id(), e.aliases()))
                .orElseGet(() -> new Value(node.label(), node.id(), List.of()));
    }

    /** The label of an entity id, or the id itself when the graph has no such entity. */
    public String label(String id) {
        return graph.entity(id).map(Entity::label).orElse(id);
    }

    /**
     * What kind of thing an entity is, in a few words the model reads: {@code country}, {@code city in Togo},
     * {@code currency}, {@code noun}, ...
     */
    public String kind(String id) {
        Optional<Entity> entity = graph.entity(id);
        if (entity.isEmpty()) {
            return "value";
        }
        List<String> types = entity.get().types();
        String type = types.isEmpty() ? "thing" : types.get(0).toLowerCase(Locale.ROOT);
        if (type.equals("synset")) {
            return "noun";
        }
        if (type.equals("city")) {
            for (Edge edge : graph.outEdges(id)) {
                if (edge.relation().name().equals("country")) {
                    return "city in " + edge.other().label();
                }
            }
        }
        return type;
    }

    /** The kind shared by a set of nodes, for the prompt ({@code value} for literals; the first entity's otherwise). */
    public String kindOf(List<Node> nodes) {
        if (nodes.isEmpty()) {
            return "";
        }
        Node first = nodes.get(0);
        if (first.literal()) {
            return "value";
        }
        String kind = kind(first.id());
        return kind.startsWith("city in ") && nodes.size() > 1 ? "city" : kind;
    }

    /**
     * The entities a question may start from: for each mention (and each mention inside a longer one), its most
     * prominent candidate that is a thing (not a class), longest mentions first; at most {@value #MAX_START_CANDIDATES}. When the text mentions
     * nothing the graph knows, the best fuzzy match of the whole text is tried, so a misspelt name still links.
     */
    public List<StartCandidate> startCandidates(String question) {
        List<Mention> mentions = mentionsWithin(question);
        Map<String, StartCandidate> candidates = new LinkedHashMap<>();
        Set<String> options = new java.util.HashSet<>();
        for (Mention mention : mentions) {
            int kept = 0;
            for (Candidate candidate : mention.candidates()) {
                if (kept == CANDIDATES_PER_MENTION || candidates.size() == MAX_START_CANDIDATES) {
                    break;
                }
                Entity entity = candidate.entity();
                String option = WalkPrompt.entityOption(entity.label(), kind(entity.id()));
                // two senses written alike cannot be told apart by the model: the more prominent one stands for both
                if (isClass(entity) || candidates.containsKey(entity.id()) || options.contains(option)) {
                    continue;
                }
                options.add(option);
                candidates.put(entity.id(), new StartCandidate(entity, option, mention.text()));
                kept++;
            }
        }
        return List.copyOf(candidates.values());
    }

    /**
     * The names the graph knows in a question, as written there (mentions, and the mentions inside longer ones),
     * longest first, each once: what a decomposer may ask about. When the question names something with a capital
     * letter (past its first word, or a first word that is more than a common noun: "Argentina has which city as
     * its capital?"), the common words it also uses ("money", "pay", "border": WordNet nouns, written
     * in lower case and not quoted, or a first word whose every sense is such a noun) are not offered: the
     * question is about the proper name.
     */
    public List<String> names(String question) {
        List<Mention> mentions = mentionsWithin(question);
        boolean properName = mentions.stream().anyMatch(mention -> Character.isUpperCase(mention.text().charAt(0))
                && (question.indexOf(mention.text()) > 0 || !onlyCommonNoun(mention)));
        Set<String> names = new java.util.LinkedHashSet<>();
        for (Mention mention : mentions) {
            boolean thing = mention.candidates().stream().anyMatch(candidate -> !isClass(candidate.entity()));
            boolean lowerCase = mention.text().equals(mention.text().toLowerCase(Locale.ROOT));
            // the first word is capitalised by grammar: there a common word is known by its senses ("Count the
            // official languages of Czechia": count is only ever a lower-case noun)
            boolean sentenceStart = question.indexOf(mention.text()) == 0 && onlyCommonNoun(mention);
            boolean commonWord = (lowerCase || sentenceStart || lowerWhereTheNameIsNot(mention))
                    && !quoted(question, mention.text());
            if (thing && !(properName && commonWord)) {
                names.add(mention.text());
            }
        }
        return List.copyOf(names);
    }

    /**
     * Whether the mention writes in lower case, past its first letter, what every name it matches writes with a
     * capital: "The city of Indore" is no mention of "the City" (of London).
     */
    private static boolean lowerWhereTheNameIsNot(Mention mention) {
        String text = mention.text();
        return mention.candidates().stream().allMatch(candidate -> {
            String name = candidate.matchedLabel();
            for (int i = 1; i < Math.min(text.length(), name.length()); i++) {
                if (Character.isUpperCase(name.charAt(i)) && Character.isLowerCase(text.charAt(i))) {
                    return true;
                }
            }
            return false;
        });
    }

    /** Whether every sense of a mention is a WordNet noun written in lower case (a common word, "count"). */
    private static boolean onlyCommonNoun(Mention mention) {
        return mention.candidates().stream().allMatch(candidate -> isNoun(candidate.entity())
                && candidate.entity().label().equals(candidate.entity().label().toLowerCase(Locale.ROOT)));
    }

    private static boolean quoted(String question, String text) {
        return question.contains("\"" + text + "\"") || question.contains("\u201c" + text + "\u201d")
                || question.contains("'" + text + "'");
    }

    private List<Mention> mentionsWithin(String question) {
        List<Mention> mentions = new ArrayList<>(graph.mentions(question));
        // a long other name of a WordNet noun hides the names inside it ("capital of Ghana" is another name of the
        // noun Accra, and Ghana a country): the mentions within it, without its first or last word, are candidates
        // too. A name in its own right is one name: a proper name ("United Arab Emirates" does not offer "Arab",
        // nor "Costa Rica" "Costa") or a noun's own label ("Pandora's box" does not offer "Pandora", nor "Temple of
        // Apollo" "Temple").
        for (Mention mention : List.copyOf(mentions)) {
            String text = mention.text();
            int firstSpace = text.indexOf(' ');
            boolean otherName = mention.candidates().stream().allMatch(candidate -> isNoun(candidate.entity())
                    && !candidate.matchedLabel().equalsIgnoreCase(candidate.entity().label()));
            if (firstSpace > 0 && otherName) {
                mentions.addAll(graph.mentions(text.substring(firstSpace + 1)));
                mentions.addAll(graph.mentions(text.substring(0, text.lastIndexOf(' '))));
            }
        }
        mentions.sort((a, b) -> Integer.compare(b.end() - b.start(), a.end() - a.start()));
        return mentions;
    }

    /**
     * Candidates for a name: its exact matches (label or alias, ignoring case and accents) when there are any,
     * else its fuzzy matches, for a name the graph does not know as written (a typo, a partial name).
     */
    public List<StartCandidate> nameCandidates(String name, int limit) {
        String bare = name.strip().replaceAll("^[\"“]+|[\"”]+$", "");
        List<StartCandidate> candidates = new ArrayList<>();
        Set<String> options = new java.util.HashSet<>();
        List<Candidate> found = graph.find(bare, limit + 2);
        boolean anyExact = found.stream().anyMatch(Candidate::exact);
        for (Candidate candidate : found) {
            if (anyExact && !candidate.exact()) {
                continue;   // fuzzy matches are for names the graph does not know as written
            }
            Entity entity = candidate.entity();
            String option = WalkPrompt.entityOption(entity.label(), kind(entity.id()));
            if (!isClass(entity) && candidates.size() < limit && options.add(option)) {
                candidates.add(new StartCandidate(entity, option, name));
            }
        }
        return candidates;
    }

    /**
     * The entity a name asked about with {@code relation} links to: the most prominent of its senses (as
     * {@link #nameCandidates}) that has the relation, else the most prominent (an island asked for its borders). "Which
     * country has San José as its capital?" is about the capital of Costa Rica, not the larger San José in the
     * United States; "What kind of thing is Fremont?" about the explorer, not the city. Empty when the graph
     * knows nothing of that name.
     */
    public Optional<StartCandidate> linkFor(String name, String relation) {
        if (relation == null) {
            return nameCandidates(name, 1).stream().findFirst();
        }
        List<StartCandidate> senses = nameCandidates(name, SENSES_LOOKED_AT);
        return senses.stream().filter(sense -> options(List.of(sense.entity().id())).contains(relation)).findFirst()
                .or(() -> senses.stream().findFirst());
    }

    private static boolean isNoun(Entity entity) {
        return entity.types().stream().anyMatch(type -> type.equalsIgnoreCase("synset"));
    }

    private static boolean isClass(Entity entity) {
        return entity.types().isEmpty() && entity.id().contains("/class/")
                || entity.types().stream().anyMatch(t -> t.equalsIgnoreCase("class"));
    }

    static String option(String relationName, Direction direction) {
        return direction == Direction.OUT ? relationName : relationName + "-of";
    }
}
