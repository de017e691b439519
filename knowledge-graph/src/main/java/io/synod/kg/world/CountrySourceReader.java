// Reads countries from world-countries (names, capitals, languages, currencies, borders) and countries-list (continents).
package io.synod.kg.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Turns the two countries packages' JSON into {@link CountryRecord}s and continent names. */
final class CountrySourceReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CountrySourceReader() {}

    /** Continent code to English name, from countries-list {@code continents.min.json}. */
    static Map<String, String> readContinents(byte[] continentsJson) throws IOException {
        Map<String, String> continents = new TreeMap<>();
        JSON.readTree(continentsJson).properties().forEach(entry -> continents.put(entry.getKey(), entry.getValue().asText()));
        return continents;
    }

    /**
     * @param worldCountriesJson world-countries {@code countries.json} (an array of countries)
     * @param countriesListJson countries-list {@code countries.min.json} (an object keyed by alpha-2 code)
     */
    static List<CountryRecord> readCountries(byte[] worldCountriesJson, byte[] countriesListJson) throws IOException {
        JsonNode countries = JSON.readTree(worldCountriesJson);
        JsonNode countriesList = JSON.readTree(countriesListJson);
        if (!countries.isArray() || !countriesList.isObject()) {
            throw new IOException("expected world-countries countries.json to be an array and countries-list "
                    + "countries.min.json an object keyed by ISO alpha-2 code");
        }
        List<CountryRecord> records = new ArrayList<>();
        for (JsonNode country : countries) {
            JsonNode listed = countriesList.path(country.path("cca2").asText());
            records.add(toRecord(country, listed));
        }
        return records;
    }

    private static CountryRecord toRecord(JsonNode country, JsonNode listed) {
        String commonName = country.path("name").path("common").asText();
        String officialName = country.path("name").path("official").asText();
        Set<String> alternativeNames = new LinkedHashSet<>();
        alternativeNames.add(officialName);
        alternativeNames.addAll(texts(country.path("altSpellings")));
        alternativeNames.addAll(texts(listed.path("alias")));
        alternativeNames.removeIf(name -> isShortCode(name) || name.isBlank() || name.equals(commonName));
        double area = country.path("area").asDouble(-1);
        return new CountryRecord(
                country.path("cca2").asText(),
                country.path("cca3").asText(),
                commonName,
                officialName,
                List.copyOf(alternativeNames),
                texts(country.path("capital")),
                country.path("region").asText(),
                country.path("subregion").asText(),
                listed.path("continent").asText(""),
                textFields(country.path("languages")),
                currencyNames(country.path("currencies")),
                texts(country.path("borders")),
                country.path("landlocked").asBoolean(),
                country.path("independent").asBoolean(),
                country.path("unMember").asBoolean(),
                area > 0 ? Optional.of(country.path("area").decimalValue()) : Optional.<BigDecimal>empty(),
                demonyms(country.path("demonyms").path("eng")));
    }

    /** Codes such as "TG" or "USA" are kept as iso-code literals, not as names (they would link too eagerly). */
    static boolean isShortCode(String name) {
        return name.length() <= 3 && name.equals(name.toUpperCase(java.util.Locale.ROOT));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }

    private static Map<String, String> textFields(JsonNode object) {
        Map<String, String> fields = new TreeMap<>();
        object.properties().forEach(entry -> fields.put(entry.getKey(), entry.getValue().asText()));
        return fields;
    }

    private static Map<String, String> currencyNames(JsonNode currencies) {
        Map<String, String> names = new TreeMap<>();
        currencies.properties().forEach(entry -> names.put(entry.getKey(), entry.getValue().path("name").asText()));
        return names;
    }

    private static List<String> demonyms(JsonNode english) {
        Set<String> demonyms = new LinkedHashSet<>();
        demonyms.add(english.path("m").asText(""));
        demonyms.add(english.path("f").asText(""));
        demonyms.remove("");
        return List.copyOf(demonyms);
    }
}
