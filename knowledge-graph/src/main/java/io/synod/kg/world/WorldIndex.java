// A read-only, question-generation view of the world graph: names, types, edges and numbers, loaded once through Jena.
package io.synod.kg.world;

import io.synod.kg.world.WorldVocabulary.Relation;
import io.synod.kg.world.WorldVocabulary.WorldClass;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.Property;
import org.apache.jena.rdf.model.RDFNode;
import org.apache.jena.rdf.model.Statement;
import org.apache.jena.riot.RDFDataMgr;

/**
 * The world graph as plain maps. Edges are kept in both directions so that a path step can be followed
 * forwards ({@code capital}) or backwards ({@code capital-of}). Names are indexed by
 * {@link WorldVocabulary#matchKey} over labels and altLabels, which is how a question's wording is linked
 * back to nodes when checking that a question has one answer.
 */
final class WorldIndex {

    private final Map<String, String> labels = new HashMap<>();
    private final Map<String, List<String>> altLabels = new HashMap<>();
    private final Map<String, WorldClass> classes = new HashMap<>();
    private final Map<WorldClass, Set<String>> nodesByClass = new EnumMap<>(WorldClass.class);
    private final Map<String, Set<String>> nodesByName = new HashMap<>();
    private final Map<Relation, Map<String, Set<String>>> forward = new EnumMap<>(Relation.class);
    private final Map<Relation, Map<String, Set<String>>> backward = new EnumMap<>(Relation.class);
    private final Map<String, Long> populations = new HashMap<>();
    private final Map<String, BigDecimal> areas = new HashMap<>();
    private final Map<String, Boolean> landlocked = new HashMap<>();

    /** One step of a relation path: the relation, followed forwards or (for "-of") backwards. */
    record PathStep(Relation relation, boolean inverse) {

        static PathStep of(Relation relation) {
            return new PathStep(relation, false);
        }

        static PathStep inverseOf(Relation relation) {
            return new PathStep(relation, true);
        }

        @Override
        public String toString() {
            return inverse ? relation.localName() + "-of" : relation.localName();
        }
    }

    /** Loads {@code world.nt.gz} (or any RDF file Jena reads) into an in-memory model and indexes it. */
    static WorldIndex load(Path graphFile) {
        Model model = ModelFactory.createDefaultModel();
        RDFDataMgr.read(model, graphFile.toString());
        return new WorldIndex(model);
    }

    WorldIndex(Model model) {
        Property type = model.createProperty(WorldVocabulary.RDF_TYPE);
        Map<String, WorldClass> classByIri = new HashMap<>();
        for (WorldClass worldClass : WorldClass.values()) {
            classByIri.put(worldClass.iri(), worldClass);
            nodesByClass.put(worldClass, new TreeSet<>());
        }
        model.listStatements(null, type, (RDFNode) null).forEach(statement -> {
            WorldClass worldClass = classByIri.get(statement.getObject().toString());
            if (worldClass != null) {
                classes.put(subject(statement), worldClass);
                nodesByClass.get(worldClass).add(subject(statement));
            }
        });
        model.listStatements(null, model.createProperty(WorldVocabulary.RDFS_LABEL), (RDFNode) null)
                .forEach(statement -> addName(subject(statement), statement.getString(), true));
        model.listStatements(null, model.createProperty(WorldVocabulary.SKOS_ALT_LABEL), (RDFNode) null)
                .forEach(statement -> addName(subject(statement), statement.getString(), false));
        for (Relation relation : Relation.values()) {
            indexRelation(model, relation);
        }
    }

    private void indexRelation(Model model, Relation relation) {
        Map<String, Set<String>> outgoing = new HashMap<>();
        Map<String, Set<String>> incoming = new HashMap<>();
        model.listStatements(null, model.createProperty(relation.iri()), (RDFNode) null).forEach(statement -> {
            String subject = subject(statement);
            RDFNode object = statement.getObject();
            switch (relation) {
                case POPULATION -> populations.put(subject, statement.getLong());
                case AREA -> areas.put(subject, new BigDecimal(object.asLiteral().getLexicalForm()));
                case LANDLOCKED -> landlocked.put(subject, statement.getBoolean());
                default -> {
                    if (object.isURIResource()) {
                        outgoing.computeIfAbsent(subject, key -> new TreeSet<>()).add(object.asResource().getURI());
                        incoming.computeIfAbsent(object.asResource().getURI(), key -> new TreeSet<>()).add(subject);
                    }
                }
            }
        });
        forward.put(relation, outgoing);
        backward.put(relation, incoming);
    }

    private static String subject(Statement statement) {
        return statement.getSubject().getURI();
    }

    private void addName(String iri, String name, boolean isLabel) {
        if (isLabel) {
            labels.put(iri, name);
        } else {
            altLabels.computeIfAbsent(iri, key -> new ArrayList<>()).add(name);
        }
        nodesByName.computeIfAbsent(WorldVocabulary.matchKey(name), key -> new TreeSet<>()).add(iri);
    }

    String label(String iri) {
        return labels.get(iri);
    }

    /** The label first, then the altLabels in sorted order: every form an answer may take. */
    List<String> names(String iri) {
        Set<String> names = new LinkedHashSet<>();
        names.add(labels.get(iri));
        names.addAll(new TreeSet<>(altLabels.getOrDefault(iri, List.of())));
        return List.copyOf(names);
    }

    Optional<WorldClass> classOf(String iri) {
        return Optional.ofNullable(classes.get(iri));
    }

    /** All nodes of a class, in IRI order. */
    Set<String> nodes(WorldClass worldClass) {
        return nodesByClass.get(worldClass);
    }

    /** The nodes of {@code worldClass} that a mention could link to: those with that label or altLabel. */
    Set<String> readings(String mention, WorldClass worldClass) {
        Set<String> readings = new TreeSet<>(nodesByName.getOrDefault(WorldVocabulary.matchKey(mention), Set.of()));
        readings.removeIf(iri -> classes.get(iri) != worldClass);
        return readings;
    }

    /** The nodes one step away. */
    Set<String> step(String iri, PathStep step) {
        Map<String, Set<String>> edges = (step.inverse() ? backward : forward).get(step.relation());
        return edges.getOrDefault(iri, Set.of());
    }

    /** The nodes at the end of a path from {@code start}, in IRI order. */
    Set<String> follow(String start, List<PathStep> path) {
        Set<String> frontier = new TreeSet<>(Set.of(start));
        for (PathStep step : path) {
            Set<String> next = new TreeSet<>();
            frontier.forEach(node -> next.addAll(step(node, step)));
            frontier = next;
        }
        return frontier;
    }

    Optional<Long> population(String iri) {
        return Optional.ofNullable(populations.get(iri));
    }

    Optional<BigDecimal> area(String iri) {
        return Optional.ofNullable(areas.get(iri));
    }

    Optional<Boolean> landlocked(String iri) {
        return Optional.ofNullable(landlocked.get(iri));
    }
}
