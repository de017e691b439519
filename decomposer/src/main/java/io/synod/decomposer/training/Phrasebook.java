// Many ways of asking the same thing: question templates per relation, noun phrases for chaining
// relations, the canonical sub-questions the decomposer writes, and surface noise. Written for this project
// to teach the models wording, not the question set's templates.
package io.synod.decomposer.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Templates use {@code {X}} for the thing asked about (a name, or a noun phrase built from another
 * relation). Every relation the walk can answer has question templates ({@link #questions}); relations
 * that lead to something another relation can be asked about also have noun phrases ({@link #phrases}),
 * so that "Which currency is used in the country whose capital is Lomé?" is a currency question about a
 * capital-of phrase. {@link #subQuestion} is the one wording the decomposer uses for each relation.
 */
final class Phrasebook {

    static final Map<String, List<String>> QUESTIONS = Map.ofEntries(
            Map.entry("capital", List.of(
                    "What is the capital of {X}?", "Which city is the capital of {X}?", "What's the capital city of {X}?",
                    "Name the capital of {X}.", "capital of {X}", "{X} capital", "Tell me the capital of {X}.",
                    "What city serves as the capital of {X}?", "Where is the seat of government of {X}?",
                    "Which city is {X}'s capital?", "what is {X}'s capital city", "The capital of {X} is which city?",
                    "In which city is the government of {X} based?", "Give the capital city of {X}.",
                    "Do you know the capital of {X}?", "{X}: what is its capital?", "{X}'s capital is which city?", "From which city is {X} governed?",
                    "Which city is the seat of {X}'s government?", "Identify the capital of {X}.", "capital city of {X}?",
                    "The capital of {X}, please.", "What city is {X} run from?")),
            Map.entry("capital-of", List.of(
                    "Which country has {X} as its capital?", "{X} is the capital of which country?",
                    "Of which country is {X} the capital?", "What country is {X} the capital of?",
                    "Which nation's capital is {X}?", "{X} is the capital city of what country?",
                    "Which country's capital city is {X}?", "capital {X} belongs to which country",
                    "Tell me which country has its capital at {X}.", "What state has {X} as capital?",
                    "The city of {X} is the capital of which country?", "country whose capital is {X}", "Which country is run from {X}?", "{X} serves as the capital of which nation?",
                    "What country has its capital in {X}?", "{X} is the seat of government of which country?")),
            Map.entry("currency", List.of(
                    "Which currency does {X} use?", "What is the currency of {X}?", "What currency is used in {X}?",
                    "What money do people use in {X}?", "currency of {X}", "{X} currency",
                    "What is the official currency of {X}?", "Which currency is legal tender in {X}?",
                    "What do they pay with in {X}?", "Name the currency used in {X}.",
                    "In {X}, which currency is used?", "What's {X}'s currency?", "Which currencies are used in {X}?",
                    "Tell me the currency of {X}.", "Which currency would I need in {X}?", "What currency do they spend in {X}?",
                    "{X} uses which currency?", "What is the money of {X} called?", "Which money is used in {X}?",
                    "If I visit {X}, which currency should I bring?", "What's the local currency in {X}?")),
            Map.entry("currency-of", List.of(
                    "Which countries use {X}?", "Which countries use the {X} as their currency?",
                    "Where is the {X} used?", "In which countries is the {X} legal tender?",
                    "Name the countries that pay with the {X}.", "countries using {X}",
                    "Which nations have {X} as their currency?", "What countries is the {X} the currency of?", "The {X} is used in which countries?", "Which countries have the {X} as legal tender?",
                    "List the countries that use the {X}.")),
            Map.entry("language", List.of(
                    "What are the official languages of {X}?", "Which languages are official in {X}?",
                    "What language is spoken in {X}?", "What languages do people speak in {X}?",
                    "official language of {X}", "{X} languages", "Which language is official in {X}?",
                    "Name an official language of {X}.", "What is the official language of {X}?",
                    "In {X}, which languages have official status?", "What's spoken officially in {X}?",
                    "Tell me the official languages of {X}.", "Which tongue is official in {X}?", "What are {X}'s official languages?", "List the official languages of {X}.",
                    "{X} has which official languages?", "What do people officially speak in {X}?",
                    "Which language has official status in {X}?")),
            Map.entry("region", List.of(
                    "Which region is {X} in?", "In what region of the world is {X}?", "What world region does {X} belong to?",
                    "region of {X}", "{X} is in which region?", "Which part of the world is {X} located in?",
                    "What is the region of {X}?", "Tell me the world region of {X}.", "Where in the world is {X}, by region?", "{X} is part of which world region?", "Which world region includes {X}?", "Give the region of {X}.",
                    "Which region of the globe is {X} in?")),
            Map.entry("subregion", List.of(
                    "Which subregion is {X} in?", "What subregion of the world does {X} belong to?",
                    "subregion of {X}", "{X} lies in which subregion?", "What is the subregion of {X}?",
                    "In which subregion can you find {X}?", "Tell me the subregion {X} is part of.",
                    "Which sub-region is {X} located in?", "Which subregion includes {X}?", "{X} is in what subregion?", "In which subregion does {X} lie?",
                    "What is {X}'s subregion?", "Give the subregion of {X}.")),
            Map.entry("continent", List.of(
                    "Which continent is {X} on?", "On what continent is {X}?", "What continent is {X} located in?",
                    "continent of {X}", "{X} is on which continent?", "Which continent does {X} belong to?",
                    "Name the continent of {X}.", "In which continent is {X} found?", "What's the continent of {X}?",
                    "Tell me which continent {X} lies on.", "{X} is located on which continent?", "Which continent is home to {X}?",
                    "On which continent does {X} lie?", "What continent contains {X}?", "Give the continent of {X}.")),
            Map.entry("borders", List.of(
                    "Which countries border {X}?", "What are the neighbouring countries of {X}?",
                    "Which countries share a border with {X}?", "What countries are next to {X}?",
                    "neighbours of {X}", "{X} neighbors", "Name the countries bordering {X}.",
                    "Which nations does {X} share a land border with?", "What are the neighbors of {X}?",
                    "Tell me the countries adjacent to {X}.", "Which countries lie on the border of {X}?",
                    "Who are {X}'s neighbours?", "{X} borders which countries?", "Which countries are {X}'s neighbours?", "What countries does {X} border?",
                    "List the neighbours of {X}.", "Which countries surround {X}?")),
            Map.entry("country", List.of(
                    "Which country is {X} in?", "In which country is {X}?", "{X} is a city in which country?",
                    "What country is the city of {X} located in?", "Where is {X}? Which country?",
                    "country of {X}", "{X} country", "Which country does the city {X} belong to?",
                    "Name the country where {X} is.", "In what country can you find {X}?",
                    "Tell me the country of the city {X}.", "{X} lies in what country?", "{X} is located in which country?", "Which country contains the city of {X}?",
                    "The city {X} is in which country?", "What country does {X} belong to?", "{X} is in what country?",
                    "Identify the country that {X} is in.")),
            Map.entry("population", List.of(
                    "What is the population of {X}?", "How many people live in {X}?", "population of {X}",
                    "How many inhabitants does {X} have?", "What's the number of people living in {X}?",
                    "Tell me the population of {X}.", "{X} population", "How populous is {X}?", "What's the population of {X}?", "How many residents does {X} have?",
                    "{X} has how many inhabitants?", "Give the population of {X}.")),
            Map.entry("area", List.of(
                    "What is the area of {X}?", "How large is {X} in square kilometres?", "area of {X}",
                    "How big is {X}?", "What's the surface area of {X}?", "How many square kilometers does {X} cover?",
                    "Tell me the area of {X}.", "{X} area in km2", "What is the size of {X} in square kilometres?", "{X} covers how many square kilometres?",
                    "How much land does {X} cover?", "Give the area of {X}.")),
            Map.entry("landlocked", List.of(
                    "Is {X} landlocked?", "Is {X} a landlocked country?", "Does {X} lack a coastline?",
                    "Is {X} without access to the sea?", "{X} landlocked?", "Is {X} cut off from the sea?",
                    "Has {X} got no coast?", "Tell me whether {X} is landlocked.", "Does {X} have no sea coast?", "Is {X} a country without a coastline?", "{X}: landlocked or not?",
                    "Is {X} entirely inland?", "Is {X} an inland country with no access to the ocean?")),
            Map.entry("hypernym", List.of(
                    "What is the hypernym of {X}?", "What is {X} a kind of?", "{X} is a type of what?",
                    "hypernym of {X}", "What is a more general term for {X}?",
                    "{X} is a kind of what?", "Which category is {X} a subtype of?", "Give a hypernym of {X}.",
                    "What kind of thing is {X} a type of?", "Name the parent category of {X}.",
                    "In the is-a hierarchy, what is directly above {X}?", "{X} belongs to what broader class?", "What is the category of {X}?",
                    "What general kind of thing is {X}?", "{X} falls under which category?", "Give the broader term for {X}.",
                    "One level up from {X} in the is-a hierarchy is what?")),
            Map.entry("instance-hypernym", List.of(
                    "What kind of thing is {X}?", "{X} is an instance of what?", "What is {X} an example of?",
                    "What sort of thing is {X}?", "instance hypernym of {X}", "{X} is a what?",
                    "Which class does {X} belong to?", "What category is {X} an instance of?",
                    "Tell me what kind of thing {X} is.", "{X}: what type of entity is it?", "{X} is an example of what?", "What is {X}, in general terms?", "What class of thing is {X}?",
                    "Classify {X}.", "What type of thing is {X}?")));

    /** Noun phrases for relations whose result can be asked about further. */
    static final Map<String, List<String>> PHRASES = Map.ofEntries(
            Map.entry("capital-of", List.of(
                    "the country whose capital is {X}", "the country with capital {X}", "the nation that has {X} as its capital",
                    "the country of which {X} is the capital", "the country {X} is the capital of", "the state governed from {X}", "the country ruled from {X}", "{X}'s country")),
            Map.entry("country", List.of(
                    "the country where {X} is located", "the country that contains the city {X}", "the country {X} is in",
                    "the country containing {X}", "the country in which the city of {X} lies", "the country of {X}", "the country that {X} belongs to", "the country in which {X} is found")),
            Map.entry("borders", List.of(
                    "the countries bordering {X}", "the neighbours of {X}", "the neighbouring countries of {X}",
                    "the countries that share a border with {X}", "{X}'s neighbours", "the countries next to {X}", "the countries adjacent to {X}", "the countries around {X}", "the nations bordering {X}")),
            Map.entry("capital", List.of(
                    "the capital of {X}", "{X}'s capital", "the capital city of {X}", "the city that is the capital of {X}", "the seat of government of {X}", "the capital of the country {X}")),
            Map.entry("currency-of", List.of(
                    "the countries that use {X}", "the countries using the {X}", "the countries where {X} is legal tender")),
            Map.entry("hypernym", List.of(
                    "the hypernym of {X}", "the category above {X}", "what {X} is a kind of", "the broader term for {X}", "the class of {X}", "the general kind of {X}")),
            Map.entry("instance-hypernym", List.of(
                    "the kind of thing {X} is", "the class {X} is an instance of", "the category {X} is an example of")));

    /** The decomposer's own wording for each relation (shared with the model-backed decomposer). */
    static final Map<String, String> SUB_QUESTIONS = io.synod.decomposer.model.SubQuestions.BY_RELATION;

    static final List<String> COUNT_BORDERS = List.of(
            "How many countries border {X}?", "How many neighbours does {X} have?", "How many countries share a border with {X}?",
            "number of countries bordering {X}", "With how many countries does {X} share a land border?",
            "Count the neighbours of {X}.", "How many nations are adjacent to {X}?", "how many neighbouring countries has {X}", "How many neighbouring countries does {X} have?", "{X} borders how many countries?",
            "What is the number of countries bordering {X}?");
    static final List<String> COUNT_LANGUAGES = List.of(
            "How many official languages does {X} have?", "How many languages are official in {X}?",
            "number of official languages of {X}",
            "How many languages have official status in {X}?", "how many official tongues does {X} have", "{X} has how many official languages?", "What number of official languages does {X} have?",
            "How many official languages are there in {X}?");
    static final List<String> COUNT_CURRENCY = List.of(
            "How many countries use the {X}?", "In how many countries is {X} used?", "number of countries using the {X}",
            "Count the countries whose currency is the {X}.", "How many nations pay with the {X}?",
            "By how many countries is the {X} used?", "The {X} is used by how many countries?", "How many countries have the {X} as currency?");
    static final List<String> COMPARE_AREA = List.of(
            "Which is larger, {A} or {B}?", "Which country is bigger: {A} or {B}?", "Which has the larger area, {A} or {B}?",
            "{A} or {B}: which covers more land?", "Is {A} or {B} larger by area?", "Which of {A} and {B} is bigger?",
            "Which country is smaller, {A} or {B}?", "Which has less area: {A} or {B}?", "{A} or {B}, which is smaller?",
            "Which of {A} and {B} covers fewer square kilometres?", "Which is the bigger country, {A} or {B}?", "Of {A} and {B}, which is larger?",
            "Which covers a larger area: {A} or {B}?", "Of {A} and {B}, which is smaller?");
    static final List<String> COMPARE_POPULATION = List.of(
            "Which city has more people, {A} or {B}?", "Which is more populous: {A} or {B}?",
            "{A} or {B}: which has the larger population?", "Does {A} or {B} have more inhabitants?",
            "Which of {A} and {B} is bigger by population?", "Which city is less populous, {A} or {B}?",
            "Which has fewer people: {A} or {B}?", "{A} or {B}, which has the smaller population?", "Where do more people live, {A} or {B}?", "Which city is larger by population, {A} or {B}?",
            "Of {A} and {B}, which has more residents?", "Where do fewer people live, {A} or {B}?");
    static final List<String> YESNO_BORDERS = List.of(
            "Does {A} border {B}?", "Do {A} and {B} share a border?", "Is {B} a neighbour of {A}?",
            "Are {A} and {B} neighbouring countries?", "does {A} share a land border with {B}",
            "Is {A} next to {B}?", "Do {A} and {B} border each other?", "Is {B} one of the countries bordering {A}?", "Are {A} and {B} adjacent?", "Does {A} share a border with {B}?", "Is {A} bordered by {B}?");
    static final List<String> YESNO_CAPITAL = List.of(
            "Is {B} the capital of {A}?", "Is the capital of {A} {B}?", "Is {B} {A}'s capital city?",
            "Is {A} governed from {B}?", "Is it true that the capital of {A} is {B}?", "does {A} have {B} as its capital",
            "Is {B} the capital city of {A}?", "Is {A} run from {B}?", "Is {B} where the government of {A} sits?", "{B} is the capital of {A}, right?");

    /** Whether a comparison template asks for the smaller of the two (it says smaller, less or fewer). */
    static boolean asksForSmaller(String template) {
        String lower = template.toLowerCase(Locale.ROOT);
        return lower.contains("smaller") || lower.contains("less") || lower.contains("fewer");
    }

    private Phrasebook() {
    }

    static String fill(String template, String x) {
        return template.replace("{X}", x);
    }

    static String pick(List<String> templates, Random random) {
        return templates.get(random.nextInt(templates.size()));
    }

    /**
     * Word swaps that keep a question's meaning (whole words, case as written): a template is reworded with one of
     * them a third of the time ({@link #pickReworded}), so that the models learn the words, not the templates.
     */
    static final List<Map.Entry<String, List<String>>> SWAPS = List.of(
            Map.entry("country", List.of("nation", "state")),
            Map.entry("countries", List.of("nations", "states")),
            Map.entry("Which", List.of("What")),
            Map.entry("What", List.of("Which")),
            Map.entry("Name", List.of("Give", "List", "Tell me", "Identify", "State")),
            Map.entry("located", List.of("situated", "found")),
            Map.entry("neighbours", List.of("neighbors")),
            Map.entry("neighbouring", List.of("neighboring", "adjacent")),
            Map.entry("official", List.of("recognised official")),
            Map.entry("people", List.of("folks", "residents")),
            Map.entry("use", List.of("have")),
            Map.entry("in", List.of("within")));

    /** A template of the list, reworded by one of the {@link #SWAPS} a third of the time. */
    static String pickReworded(List<String> templates, Random random) {
        String template = pick(templates, random);
        if (random.nextDouble() >= 1.0 / 3) {
            return template;
        }
        List<String> variants = rewordings(template);
        return variants.isEmpty() ? template : variants.get(random.nextInt(variants.size()));
    }

    /** Every rewording of a template by one swap (of the first occurrence of the word). */
    static List<String> rewordings(String template) {
        List<String> variants = new ArrayList<>();
        for (Map.Entry<String, List<String>> swap : SWAPS) {
            Matcher word = Pattern.compile("\\b" + swap.getKey() + "\\b").matcher(template);
            if (word.find()) {
                for (String replacement : swap.getValue()) {
                    variants.add(template.substring(0, word.start()) + replacement + template.substring(word.end()));
                }
            }
        }
        return variants;
    }

    /**
     * Surface noise users add: lower case, no final punctuation, a polite prefix, doubled spaces. The entity
     * names stay as they are otherwise (accent folding of names happens before the question is built).
     */
    static String noise(String question, Random random) {
        String text = question;
        double roll = random.nextDouble();
        if (roll < 0.25) {
            text = text.toLowerCase(Locale.ROOT);
        } else if (roll < 0.30) {
            text = text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
        }
        if (random.nextDouble() < 0.25) {
            text = text.replaceAll("[?.!]+$", "");
        } else if (random.nextDouble() < 0.05) {
            text = text.replaceAll("\\?$", " ?");
        }
        double prefix = random.nextDouble();
        if (prefix < 0.04) {
            text = "please tell me: " + text;
        } else if (prefix < 0.07) {
            text = "Quick question - " + text;
        } else if (prefix < 0.09) {
            text = "I'd like to know " + text;
        }
        if (random.nextDouble() < 0.03) {
            text = text.replaceFirst(" ", "  ");
        }
        return text.strip();
    }
}
