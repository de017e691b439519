// The question families of the world question set: their phrasings and how each draws its questions from the graph.
package io.synod.kg.world;

import io.synod.kg.world.QuestionFamily.Candidate;
import io.synod.kg.world.WorldIndex.PathStep;
import io.synod.kg.world.WorldVocabulary.Relation;
import io.synod.kg.world.WorldVocabulary.WorldClass;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Builds every family's candidates from a {@link WorldIndex}. A candidate is kept only when its wording has one
 * answer: a country's name must link to that country alone, and for a city or noun every other node with the
 * same name must give the same answer or none (so "Paris" in "Which country is Paris in?" is dropped, while
 * "the country whose capital is Paris" is kept because no other Paris is a capital). Questions with more than
 * {@value #MAX_GOLD_ANSWERS} answer entities are dropped.
 */
final class QuestionFamilies {

    static final int MAX_GOLD_ANSWERS = 10;
    /** Questions about cities use cities of at least this population, which a reader may have heard of. */
    static final long CITY_POPULATION_THRESHOLD = 50_000;
    /** Families over cities and nouns keep this many questions after a seeded shuffle. */
    static final int SAMPLED_FAMILY_LIMIT = 500;
    /** Comparisons need the larger value to exceed the smaller by this factor, so that sources cannot disagree. */
    static final double COMPARISON_MARGIN = 1.1;

    private static final String[] NUMBER_WORDS = {
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"};

    private final WorldIndex index;
    private final SplitAssigner splits;
    private final long seed;
    private final List<String> countries;
    private final List<String> capitals;
    private final List<String> cities;
    private final List<String> commonNouns;
    private final List<String> namedInstances;

    QuestionFamilies(WorldIndex index, SplitAssigner splits, long seed) {
        this.index = index;
        this.splits = splits;
        this.seed = seed;
        this.countries = index.nodes(WorldClass.COUNTRY).stream()
                .filter(country -> index.readings(index.label(country), WorldClass.COUNTRY).equals(Set.of(country)))
                .toList();
        this.capitals = index.nodes(WorldClass.CITY).stream()
                .filter(city -> !index.step(city, PathStep.inverseOf(Relation.CAPITAL)).isEmpty())
                .toList();
        // A city named like a country ("Jamaica" in New York, "Djibouti") would be read as the country.
        this.cities = index.nodes(WorldClass.CITY).stream()
                .filter(city -> index.population(city).orElse(0L) >= CITY_POPULATION_THRESHOLD)
                .filter(city -> index.readings(index.label(city), WorldClass.COUNTRY).isEmpty())
                .toList();
        this.commonNouns = index.nodes(WorldClass.SYNSET).stream()
                .filter(synset -> index.label(synset).matches("[a-z][a-z -]*"))
                .toList();
        this.namedInstances = index.nodes(WorldClass.SYNSET).stream()
                .filter(synset -> !index.step(synset, PathStep.of(Relation.INSTANCE_HYPERNYM)).isEmpty())
                .toList();
    }

    List<QuestionFamily> all() {
        List<QuestionFamily> families = new ArrayList<>();
        families.addAll(oneHopFamilies());
        families.addAll(twoHopFamilies());
        families.addAll(threeHopFamilies());
        families.addAll(countFamilies());
        families.add(compareArea());
        families.add(comparePopulation());
        families.add(bordersYesNo());
        families.add(landlockedYesNo());
        families.add(capitalYesNo());
        return families;
    }

    // ---- path families: the answer is the set of nodes at the end of a relation path

    private List<QuestionFamily> oneHopFamilies() {
        return List.of(
                countryPath("capital", List.of(Relation.CAPITAL),
                        "What is the capital of {x}?", "Which city is the capital of {x}?",
                        "Name the capital city of {x}.", "{x} has which city as its capital?"),
                countryPath("currency", List.of(Relation.CURRENCY),
                        "What currency is used in {x}?", "Which currency does {x} use?",
                        "What is the official currency of {x}?", "If you travel to {x}, what money do you pay with?"),
                countryPath("language", List.of(Relation.LANGUAGE),
                        "What languages are official in {x}?", "Which official languages does {x} have?",
                        "What are the official languages of {x}?", "Name the languages spoken officially in {x}."),
                countryPath("region", List.of(Relation.REGION),
                        "Which world region is {x} in?", "In what region of the world does {x} lie?",
                        "What region is {x} part of?", "{x} belongs to which region of the world?"),
                countryPath("subregion", List.of(Relation.SUBREGION),
                        "Which subregion of the world is {x} in?", "In what subregion does {x} lie?",
                        "What is the subregion of {x}?", "{x} is located in which part of its world region?"),
                countryPath("continent", List.of(Relation.CONTINENT),
                        "On which continent is {x}?", "Which continent is {x} located on?",
                        "What continent does {x} belong to?", "{x} lies on what continent?"),
                countryPath("borders", List.of(Relation.BORDERS),
                        "Which countries border {x}?", "What countries share a land border with {x}?",
                        "Name the neighbouring countries of {x}.", "{x} has land borders with which countries?"),
                cityPath("city-country", List.of(PathStep.of(Relation.COUNTRY)),
                        "Which country is {x} in?", "In what country is the city of {x} located?",
                        "{x} is a city in which country?", "Name the country where you would find the city {x}."),
                capitalPath("capital-country", List.of(),
                        "{x} is the capital of which country?", "Which country has {x} as its capital?",
                        "Of what country is {x} the capital city?", "Name the country whose capital is {x}."),
                nounPath("noun-hypernym", commonNouns, List.of(Relation.HYPERNYM),
                        "What kind of thing is {ax}?", "{Ax} is a kind of what?",
                        "What is the hypernym of \"{x}\"?", "What broader category does \"{x}\" belong to?"),
                nounPath("noun-instance", namedInstances, List.of(Relation.INSTANCE_HYPERNYM),
                        "What is {x} an instance of?", "{x} is an example of what kind of thing?",
                        "What kind of thing is {x}?", "Name the category of which {x} is an instance."));
    }

    private List<QuestionFamily> twoHopFamilies() {
        return List.of(
                capitalPath("capital-currency", List.of(PathStep.of(Relation.CURRENCY)),
                        "What currency is used in the country whose capital is {x}?",
                        "Which currency does the country with capital {x} use?",
                        "{x} is a capital city; what currency is used in its country?",
                        "What money is spent in the country governed from {x}?"),
                capitalPath("capital-language", List.of(PathStep.of(Relation.LANGUAGE)),
                        "What are the official languages of the country whose capital is {x}?",
                        "Which languages are official in the country with {x} as its capital?",
                        "{x} is a capital; which official languages does its country have?",
                        "Name the official languages of the nation whose capital city is {x}."),
                cityPath("city-language", List.of(PathStep.of(Relation.COUNTRY), PathStep.of(Relation.LANGUAGE)),
                        "What are the official languages of the country where {x} is located?",
                        "Which languages are official in the country that contains the city {x}?",
                        "The city of {x} is in a country; what are that country's official languages?",
                        "Name the official languages of the country {x} belongs to."),
                cityPath("city-currency", List.of(PathStep.of(Relation.COUNTRY), PathStep.of(Relation.CURRENCY)),
                        "What currency is used in the country where {x} is located?",
                        "Which currency is used in the country that the city {x} is in?",
                        "The city of {x} lies in a country; what currency does that country use?",
                        "With what currency would you pay in the country of {x}?"),
                cityPath("city-continent", List.of(PathStep.of(Relation.COUNTRY), PathStep.of(Relation.CONTINENT)),
                        "On which continent is the country where {x} is located?",
                        "Which continent is the country containing the city {x} on?",
                        "The city of {x} is in a country; on what continent is that country?",
                        "Name the continent of the country that {x} is in."),
                countryPath("border-capital", List.of(Relation.BORDERS, Relation.CAPITAL),
                        "What are the capitals of the countries that border {x}?",
                        "Which cities are the capitals of the countries neighbouring {x}?",
                        "Name the capital cities of the countries sharing a land border with {x}.",
                        "The neighbours of {x} are governed from which capital cities?"),
                countryPath("border-language", List.of(Relation.BORDERS, Relation.LANGUAGE),
                        "What are the official languages of the countries that border {x}?",
                        "Which languages are official in the countries neighbouring {x}?",
                        "Name the official languages of the countries sharing a land border with {x}.",
                        "The countries bordering {x} have which official languages?"),
                nounPath("noun-hypernym-2", commonNouns, List.of(Relation.HYPERNYM, Relation.HYPERNYM),
                        "What is the hypernym of the hypernym of \"{x}\"?",
                        "{Ax} is a kind of X; what is X a kind of?",
                        "Two levels up the is-a hierarchy from \"{x}\", what category do you reach?",
                        "What is the broader category of the category that \"{x}\" belongs to?"));
    }

    private List<QuestionFamily> threeHopFamilies() {
        return List.of(
                capitalPath("capital-border-currency", List.of(PathStep.of(Relation.BORDERS), PathStep.of(Relation.CURRENCY)),
                        "What currencies are used in the countries that border the country whose capital is {x}?",
                        "Which currencies do the neighbours of the country with capital {x} use?",
                        "{x} is a capital city; what currencies are used by the countries bordering its country?",
                        "Name the currencies of the countries next to the nation governed from {x}."),
                capitalPath("capital-border-capital", List.of(PathStep.of(Relation.BORDERS), PathStep.of(Relation.CAPITAL)),
                        "What are the capitals of the countries that border the country whose capital is {x}?",
                        "Which capital cities belong to the neighbours of the country with capital {x}?",
                        "{x} is a capital; what are the capitals of its country's neighbouring countries?",
                        "Name the capital cities of the countries bordering the nation governed from {x}."),
                cityPath("city-border-language",
                        List.of(PathStep.of(Relation.COUNTRY), PathStep.of(Relation.BORDERS), PathStep.of(Relation.LANGUAGE)),
                        "What are the official languages of the countries that border the country where {x} is located?",
                        "Which languages are official in the countries neighbouring the country that contains {x}?",
                        "The city of {x} is in a country; what official languages do that country's neighbours have?",
                        "Name the official languages of the countries next to the country of {x}."),
                nounPath("noun-hypernym-3", commonNouns, List.of(Relation.HYPERNYM, Relation.HYPERNYM, Relation.HYPERNYM),
                        "What is the hypernym of the hypernym of the hypernym of \"{x}\"?",
                        "{Ax} is a kind of X, and X is a kind of Y; what is Y a kind of?",
                        "Three levels up the is-a hierarchy from \"{x}\", what category do you reach?",
                        "Going up three steps of 'is a kind of' from \"{x}\", where do you end?"));
    }

    private QuestionFamily countryPath(String name, List<Relation> relations, String... phrasings) {
        List<PathStep> path = relations.stream().map(PathStep::of).toList();
        return pathFamily(name, Integer.MAX_VALUE, countries, WorldClass.COUNTRY, path, phrasings);
    }

    private QuestionFamily cityPath(String name, List<PathStep> path, String... phrasings) {
        return pathFamily(name, SAMPLED_FAMILY_LIMIT, cities, WorldClass.CITY, path, phrasings);
    }

    /** Questions that start from a capital city and go through the country it is the capital of. */
    private QuestionFamily capitalPath(String name, List<PathStep> afterCountry, String... phrasings) {
        List<PathStep> path = new ArrayList<>();
        path.add(PathStep.inverseOf(Relation.CAPITAL));
        path.addAll(afterCountry);
        return pathFamily(name, Integer.MAX_VALUE, capitals, WorldClass.CITY, path, phrasings);
    }

    private QuestionFamily nounPath(String name, List<String> nouns, List<Relation> relations, String... phrasings) {
        List<PathStep> path = relations.stream().map(PathStep::of).toList();
        return pathFamily(name, SAMPLED_FAMILY_LIMIT, nouns, WorldClass.SYNSET, path, phrasings);
    }

    private QuestionFamily pathFamily(String name, int limit, List<String> topics, WorldClass topicClass,
                                      List<PathStep> path, String... phrasings) {
        List<Candidate> candidates = topics.stream()
                .map(topic -> pathCandidate(topic, topicClass, path))
                .flatMap(Optional::stream)
                .toList();
        return new QuestionFamily(name, path.size(), List.of(phrasings), limit, candidates);
    }

    private Optional<Candidate> pathCandidate(String topic, WorldClass topicClass, List<PathStep> path) {
        Set<String> gold = index.follow(topic, path);
        if (gold.isEmpty() || gold.size() > MAX_GOLD_ANSWERS
                || !hasOneAnswer(topic, topicClass, reading -> index.follow(reading, path))) {
            return Optional.empty();
        }
        return Optional.of(new Candidate(localName(topic), anchorOf(topic), topic, slots(index.label(topic)),
                pathText(path), answerForms(gold), List.copyOf(gold)));
    }

    /** Every node the topic's label can link to answers the same, or not at all. */
    private <T> boolean hasOneAnswer(String topic, WorldClass topicClass, Function<String, ? extends Set<T>> answer) {
        Set<T> expected = answer.apply(topic);
        return index.readings(index.label(topic), topicClass).stream()
                .map(answer)
                .allMatch(other -> other.isEmpty() || other.equals(expected));
    }

    // ---- counts

    private List<QuestionFamily> countFamilies() {
        List<String> currencies = index.nodes(WorldClass.CURRENCY).stream()
                .filter(currency -> index.readings(index.label(currency), WorldClass.CURRENCY).equals(Set.of(currency)))
                .toList();
        return List.of(
                countFamily("count-borders", countries, PathStep.of(Relation.BORDERS),
                        "How many countries border {x}?", "How many countries share a land border with {x}?",
                        "What is the number of countries neighbouring {x}?", "{x} has land borders with how many countries?"),
                countFamily("count-languages", countries, PathStep.of(Relation.LANGUAGE),
                        "How many official languages does {x} have?", "How many languages are official in {x}?",
                        "What is the number of official languages of {x}?", "Count the official languages of {x}."),
                countFamily("count-currency-countries", currencies, PathStep.inverseOf(Relation.CURRENCY),
                        "How many countries use the {x} as their currency?", "In how many countries is the {x} used?",
                        "What is the number of countries whose currency is the {x}?", "The {x} is the currency of how many countries?"));
    }

    private QuestionFamily countFamily(String name, List<String> topics, PathStep step, String... phrasings) {
        List<Candidate> candidates = new ArrayList<>();
        for (String topic : topics) {
            int count = index.step(topic, step).size();
            if (count <= NUMBER_WORDS.length - 1 && (count > 0 || step.relation() == Relation.BORDERS)) {
                candidates.add(new Candidate(localName(topic), anchorOf(topic), topic, slots(index.label(topic)),
                        step.toString(), numberForms(count), List.of()));
            }
        }
        return new QuestionFamily(name, 1, List.of(phrasings), Integer.MAX_VALUE, candidates);
    }

    /** "3" and "three"; zero is also "none". */
    static List<String> numberForms(int count) {
        List<String> forms = new ArrayList<>(List.of(Integer.toString(count)));
        if (count < NUMBER_WORDS.length) {
            forms.add(NUMBER_WORDS[count]);
        }
        if (count == 0) {
            forms.add("none");
        }
        return forms;
    }

    // ---- comparisons

    private QuestionFamily compareArea() {
        Random random = familyRandom("compare-area");
        List<String> sized = countries.stream().filter(country -> index.area(country).isPresent()).toList();
        Map<DatasetSplit, List<String>> bySplit = groupBySplit(sized);
        List<Candidate> candidates = new ArrayList<>();
        for (String first : sized) {
            pickPartner(random, bySplit.get(anchorSplit(first)), first,
                    other -> clearlyDifferent(index.area(first).orElseThrow(), index.area(other).orElseThrow()))
                    .ifPresent(second -> candidates.add(comparison(random, first, second, "area",
                            index.area(first).orElseThrow().compareTo(index.area(second).orElseThrow()) > 0)));
        }
        return new QuestionFamily("compare-area", 1, List.of(
                "Which is larger by area, {x} or {y}?", "Which country has the greater area: {x} or {y}?",
                "Between {x} and {y}, which covers more square kilometres?", "Is {x} or {y} the bigger country by area?"),
                Integer.MAX_VALUE, candidates);
    }

    private QuestionFamily comparePopulation() {
        Random random = familyRandom("compare-population");
        List<String> uniquelyNamed = cities.stream()
                .filter(city -> index.readings(index.label(city), WorldClass.CITY).equals(Set.of(city)))
                .toList();
        Map<DatasetSplit, List<String>> bySplit = groupBySplit(uniquelyNamed);
        List<Candidate> candidates = new ArrayList<>();
        for (String first : uniquelyNamed) {
            long firstPopulation = index.population(first).orElseThrow();
            pickPartner(random, bySplit.get(anchorSplit(first)), first,
                    other -> clearlyDifferent(BigDecimal.valueOf(firstPopulation), BigDecimal.valueOf(index.population(other).orElseThrow())))
                    .ifPresent(second -> candidates.add(comparison(random, first, second, "population",
                            firstPopulation > index.population(second).orElseThrow())));
        }
        return new QuestionFamily("compare-population", 1, List.of(
                "Which city has more people, {x} or {y}?", "Which has the larger population: {x} or {y}?",
                "Between the cities {x} and {y}, which is more populous?", "Do more people live in {x} or in {y}?"),
                SAMPLED_FAMILY_LIMIT, candidates);
    }

    /** A comparison of two nodes, named in a random order so that the answer is not always the first name. */
    private Candidate comparison(Random random, String first, String second, String relation, boolean firstWins) {
        String winner = firstWins ? first : second;
        boolean swap = random.nextBoolean();
        String named1 = swap ? second : first;
        String named2 = swap ? first : second;
        return new Candidate(localName(first) + ":" + localName(second), anchorOf(first), first,
                Map.of("x", index.label(named1), "y", index.label(named2)), relation,
                index.names(winner), List.of(winner));
    }

    private static boolean clearlyDifferent(BigDecimal first, BigDecimal second) {
        BigDecimal larger = first.max(second);
        BigDecimal smaller = first.min(second);
        return larger.compareTo(smaller.multiply(BigDecimal.valueOf(COMPARISON_MARGIN))) > 0;
    }

    // ---- yes/no

    private QuestionFamily bordersYesNo() {
        Random random = familyRandom("yesno-borders");
        // Islands can only be asked about non-neighbours, so countries with neighbours lean to "yes" to balance.
        long withNeighbours = countries.stream()
                .filter(country -> !index.step(country, PathStep.of(Relation.BORDERS)).isEmpty()).count();
        double positiveShare = Math.min(1.0, countries.size() / (2.0 * withNeighbours));
        List<Candidate> candidates = new ArrayList<>();
        for (String country : countries) {
            Set<String> neighbours = index.step(country, PathStep.of(Relation.BORDERS));
            List<String> neighboursInPool = countries.stream().filter(neighbours::contains).toList();
            boolean positive = random.nextDouble() < positiveShare && !neighboursInPool.isEmpty();
            Set<String> region = index.step(country, PathStep.of(Relation.REGION));
            List<String> others = positive ? neighboursInPool : countries.stream()
                    .filter(other -> !other.equals(country) && !neighbours.contains(other))
                    .filter(other -> index.step(other, PathStep.of(Relation.REGION)).equals(region))
                    .toList();
            if (!others.isEmpty()) {
                String other = others.get(random.nextInt(others.size()));
                candidates.add(yesNo(country, other, country, "borders", positive));
            }
        }
        return new QuestionFamily("yesno-borders", 1, List.of(
                "Does {x} border {y}?", "Do {x} and {y} share a land border?",
                "Is {y} a neighbouring country of {x}?", "Are {x} and {y} neighbours?"),
                Integer.MAX_VALUE, candidates);
    }

    private QuestionFamily landlockedYesNo() {
        List<Candidate> candidates = countries.stream()
                .filter(country -> index.landlocked(country).isPresent())
                .map(country -> new Candidate(localName(country), country, country, slots(index.label(country)),
                        "landlocked", List.of(index.landlocked(country).orElseThrow() ? "yes" : "no"), List.of()))
                .toList();
        return new QuestionFamily("yesno-landlocked", 1, List.of(
                "Is {x} landlocked?", "Is {x} a landlocked country?",
                "Does {x} have no coastline on the open sea?", "Is {x} surrounded entirely by land?"),
                Integer.MAX_VALUE, candidates);
    }

    /** "Is C the capital of X?": half name the capital's own country, half another country of the same subregion. */
    private QuestionFamily capitalYesNo() {
        Random random = familyRandom("yesno-capital");
        List<Candidate> candidates = new ArrayList<>();
        for (String capital : capitals) {
            Set<String> ownCountries = index.step(capital, PathStep.inverseOf(Relation.CAPITAL));
            if (ownCountries.size() != 1 || !countries.contains(ownCountries.iterator().next())) {
                continue;
            }
            String country = ownCountries.iterator().next();
            boolean positive = random.nextBoolean();
            Optional<String> named = positive ? Optional.of(country) : otherCountryInSubregion(random, capital, country);
            named.ifPresent(other -> candidates.add(yesNo(capital, other, country, "capital-of", positive)));
        }
        return new QuestionFamily("yesno-capital", 1, List.of(
                "Is {x} the capital of {y}?", "Is the capital city of {y} {x}?",
                "Does {y} have {x} as its capital?", "Is {x} the city from which {y} is governed?"),
                Integer.MAX_VALUE, candidates);
    }

    /** A country near {@code country} none of whose capitals carries the capital's name. */
    private Optional<String> otherCountryInSubregion(Random random, String capital, String country) {
        Set<String> subregion = index.step(country, PathStep.of(Relation.SUBREGION));
        Set<String> sameName = index.readings(index.label(capital), WorldClass.CITY);
        List<String> others = countries.stream()
                .filter(other -> !other.equals(country))
                .filter(other -> index.step(other, PathStep.of(Relation.SUBREGION)).equals(subregion))
                .filter(other -> index.step(other, PathStep.of(Relation.CAPITAL)).stream().noneMatch(sameName::contains))
                .toList();
        return others.isEmpty() ? Optional.empty() : Optional.of(others.get(random.nextInt(others.size())));
    }

    private Candidate yesNo(String first, String second, String anchorNode, String relation, boolean yes) {
        return new Candidate(localName(first) + ":" + localName(second), anchorOf(anchorNode), first,
                Map.of("x", index.label(first), "y", index.label(second)), relation,
                List.of(yes ? "yes" : "no"), List.of());
    }

    // ---- shared pieces

    private Optional<String> pickPartner(Random random, List<String> pool, String first, Predicate<String> acceptable) {
        for (int attempt = 0; attempt < 20; attempt++) {
            String other = pool.get(random.nextInt(pool.size()));
            if (!other.equals(first) && acceptable.test(other)) {
                return Optional.of(other);
            }
        }
        return Optional.empty();
    }

    private Map<DatasetSplit, List<String>> groupBySplit(List<String> nodes) {
        Map<DatasetSplit, List<String>> bySplit = new EnumMap<>(DatasetSplit.class);
        for (DatasetSplit split : DatasetSplit.values()) {
            bySplit.put(split, new ArrayList<>());
        }
        nodes.forEach(node -> bySplit.get(anchorSplit(node)).add(node));
        return bySplit;
    }

    private DatasetSplit anchorSplit(String node) {
        return splits.splitOf(anchorOf(node));
    }

    /** Cities take the split of their country; countries, currencies and synsets are anchors themselves. */
    String anchorOf(String node) {
        if (index.classOf(node).orElseThrow() != WorldClass.CITY) {
            return node;
        }
        Set<String> countriesOfCity = index.step(node, PathStep.of(Relation.COUNTRY));
        if (countriesOfCity.isEmpty()) {
            throw new IllegalStateException("city without a country: " + node);
        }
        return countriesOfCity.iterator().next();
    }

    private Random familyRandom(String familyName) {
        return new Random(seed * 31 + familyName.hashCode());
    }

    private List<String> answerForms(Set<String> gold) {
        Set<String> forms = new LinkedHashSet<>();
        gold.forEach(node -> forms.addAll(index.names(node)));
        return List.copyOf(forms);
    }

    private static Map<String, String> slots(String name) {
        String withArticle = ("aeiou".indexOf(Character.toLowerCase(name.charAt(0))) >= 0 ? "an " : "a ") + name;
        return Map.of("x", name, "ax", withArticle, "Ax", withArticle.substring(0, 1).toUpperCase(Locale.ROOT) + withArticle.substring(1));
    }

    private static String pathText(List<PathStep> path) {
        return String.join(" ", path.stream().map(PathStep::toString).toList());
    }

    static String localName(String iri) {
        return iri.startsWith(WorldVocabulary.NAMESPACE) ? iri.substring(WorldVocabulary.NAMESPACE.length()) : iri;
    }
}
