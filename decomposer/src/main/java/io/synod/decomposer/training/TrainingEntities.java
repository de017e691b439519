// The entities training questions may be about: those of the question set's train split, and graph nodes that
// no dev or test question starts from or answers with.
package io.synod.decomposer.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synod.kg.KnowledgeGraph;
import io.synod.kg.KnowledgeGraph.Node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Entity pools by kind. Countries are the topics of train questions (the question set splits by country, so
 * every question about a dev or test country is out); cities and capitals are those of train countries;
 * currencies are those of train countries that no dev or test question counts; WordNet nouns are synsets
 * that no dev or test question starts from or answers with. {@link #anyCountry} and {@link #anyCapital}
 * draw from every country, as the second entity of a yes/no question may.
 */
final class TrainingEntities {

    private static final String WORLD = "http://synod.io/world/";
    private static final int MIN_CITY_POPULATION = 30_000;

    private final List<String> countries;
    private final List<String> cities;
    private final List<String> capitals;
    private final List<String> currencies;
    private final List<String> nouns;
    private final List<String> instances;
    private final List<String> allCountries;
    private final List<String> allCapitals;

    private TrainingEntities(List<String> countries, List<String> cities, List<String> capitals, List<String> currencies,
                             List<String> nouns, List<String> instances, List<String> allCountries, List<String> allCapitals) {
        this.countries = countries;
        this.cities = cities;
        this.capitals = capitals;
        this.currencies = currencies;
        this.nouns = nouns;
        this.instances = instances;
        this.allCountries = allCountries;
        this.allCapitals = allCapitals;
    }

    /** Reads the bundled question files' topics and gold entities and builds the pools from the graph. */
    static TrainingEntities from(KnowledgeGraph graph) {
        Set<String> trainTopics = new TreeSet<>();
        Set<String> heldOutTopics = new HashSet<>();
        Set<String> heldOut = new HashSet<>();
        readQuestions("train.jsonl", trainTopics, null);
        readQuestions("dev.jsonl", heldOutTopics, heldOut);
        readQuestions("test.jsonl", heldOutTopics, heldOut);
        heldOut.addAll(heldOutTopics);

        List<String> countries = trainTopics.stream().filter(id -> id.startsWith(WORLD + "country/"))
                .filter(id -> !heldOutTopics.contains(id)).toList();
        List<String> cities = new ArrayList<>();
        List<String> capitals = new ArrayList<>();
        Set<String> currencies = new TreeSet<>();
        for (String country : countries) {
            for (Node city : graph.follow(country, List.of("country-of"))) {
                if (population(graph, city.id()) >= MIN_CITY_POPULATION) {
                    cities.add(city.id());
                }
            }
            graph.follow(country, List.of("capital")).forEach(node -> capitals.add(node.id()));
            graph.follow(country, List.of("currency")).forEach(node -> currencies.add(node.id()));
        }
        currencies.removeAll(heldOutTopics);
        List<String> allCountries = new ArrayList<>();
        List<String> allCapitals = new ArrayList<>();
        for (List<String> row : graph.sparql("SELECT ?c ?k WHERE { ?c <" + WORLD + "rel/capital> ?k } ORDER BY ?c ?k").rows()) {
            if (!allCountries.contains(row.get(0))) {
                allCountries.add(row.get(0));
            }
            allCapitals.add(row.get(1));
        }
        List<String> nouns = synsets(graph, "hypernym", heldOut, false);
        List<String> instances = synsets(graph, "instance-hypernym", heldOut, true);
        return new TrainingEntities(countries, List.copyOf(cities), List.copyOf(capitals), List.copyOf(currencies),
                nouns, instances, List.copyOf(allCountries), List.copyOf(allCapitals));
    }

    String country(Random random) {
        return pick(countries, random);
    }

    String city(Random random) {
        return pick(cities, random);
    }

    String capital(Random random) {
        return pick(capitals, random);
    }

    String currency(Random random) {
        return pick(currencies, random);
    }

    String noun(Random random) {
        return pick(nouns, random);
    }

    String instance(Random random) {
        return pick(instances, random);
    }

    String anyCountry(Random random) {
        return pick(allCountries, random);
    }

    String anyCapital(Random random) {
        return pick(allCapitals, random);
    }

    List<String> countries() {
        return countries;
    }

    String summary() {
        return "%d countries, %d cities, %d capitals, %d currencies, %d nouns, %d named individuals".formatted(
                countries.size(), cities.size(), capitals.size(), currencies.size(), nouns.size(), instances.size());
    }

    private static String pick(List<String> pool, Random random) {
        return pool.get(random.nextInt(pool.size()));
    }

    private static long population(KnowledgeGraph graph, String id) {
        for (Node node : graph.follow(id, List.of("population"))) {
            try {
                return Long.parseLong(node.label());
            } catch (NumberFormatException notANumber) {
                return 0;
            }
        }
        return 0;
    }

    /** Synsets with the relation whose label is lower case (common nouns) or capitalised (named individuals). */
    private static List<String> synsets(KnowledgeGraph graph, String relation, Set<String> heldOut, boolean named) {
        String query = "SELECT DISTINCT ?s ?l WHERE { ?s <" + WORLD + "rel/" + relation + "> ?o . "
                + "?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?s";
        List<String> ids = new ArrayList<>();
        for (List<String> row : graph.sparql(query).rows()) {
            String label = row.get(1);
            if (label.isEmpty() || heldOut.contains(row.get(0)) || label.length() > 30) {
                continue;
            }
            boolean capitalised = Character.isUpperCase(label.charAt(0));
            if (capitalised == named && (ids.isEmpty() || !ids.get(ids.size() - 1).equals(row.get(0)))) {
                ids.add(row.get(0));
            }
        }
        return List.copyOf(ids);
    }

    private static void readQuestions(String file, Set<String> topics, Set<String> golds) {
        String resource = "/io/synod/kg/world/questions/" + file;
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = KnowledgeGraph.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the bundled question file " + resource + " is missing");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                JsonNode row = json.readTree(line);
                topics.add(row.path("topic").asText());
                if (golds != null) {
                    row.path("gold").forEach(gold -> golds.add(gold.asText()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
