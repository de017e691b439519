// Finds the GeoNames city that a world-countries capital name refers to.
package io.synod.kg.world;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Matches capital names to cities of the same country, trying in order:
 * <ol>
 *   <li>a city GeoNames marks as the national capital (feature code PPLC) whose name, compared by its letters,
 *       contains the capital's name or is contained in it ("South Tarawa" and "Tarawa", "City of San Marino"
 *       and "San Marino"; "Panama City" and "Panamá", where a smaller "Panama City" also exists);</li>
 *   <li>any city with the same name regardless of case, accents and punctuation ("Lomé" = "Lome");</li>
 *   <li>any city with the same letters once spaces and punctuation are dropped and "St." is read as "Saint"
 *       ("Sana'a" = "Sanaa", "St. George's" = "Saint George's").</li>
 * </ol>
 * Where several cities match, the most populous wins. The national capital goes first because world-countries
 * lists some capitals (Jerusalem, Bloemfontein) that GeoNames does not mark PPLC, and those still match by name.
 */
final class CapitalMatcher {

    private static final String NATIONAL_CAPITAL_FEATURE = "PPLC";
    private static final Comparator<CityRecord> LARGER_FIRST = Comparator.comparingLong(CityRecord::population).reversed()
            .thenComparingLong(CityRecord::geonamesId);

    private final Map<String, CityRecord> largestByName = new HashMap<>();
    private final Map<String, CityRecord> largestByLetters = new HashMap<>();
    private final Map<String, List<CityRecord>> nationalCapitalsByCountry = new HashMap<>();

    CapitalMatcher(List<CityRecord> cities) {
        for (CityRecord city : cities) {
            keepLarger(largestByName, city.countryCode() + "|" + WorldVocabulary.matchKey(city.name()), city);
            keepLarger(largestByLetters, city.countryCode() + "|" + lettersOnly(city.name()), city);
            if (city.featureCode().equals(NATIONAL_CAPITAL_FEATURE)) {
                nationalCapitalsByCountry.computeIfAbsent(city.countryCode(), code -> new ArrayList<>()).add(city);
            }
        }
        nationalCapitalsByCountry.values().forEach(capitals -> capitals.sort(LARGER_FIRST));
    }

    /** The city in the country with ISO alpha-2 code {@code countryCode} that {@code capitalName} names, if any. */
    Optional<CityRecord> find(String countryCode, String capitalName) {
        String letters = lettersOnly(capitalName);
        Optional<CityRecord> nationalCapital = nationalCapitalsByCountry.getOrDefault(countryCode, List.of()).stream()
                .filter(city -> lettersOnly(city.name()).contains(letters) || letters.contains(lettersOnly(city.name())))
                .findFirst();
        if (nationalCapital.isPresent()) {
            return nationalCapital;
        }
        CityRecord byName = largestByName.get(countryCode + "|" + WorldVocabulary.matchKey(capitalName));
        if (byName != null) {
            return Optional.of(byName);
        }
        return Optional.ofNullable(largestByLetters.get(countryCode + "|" + letters));
    }

    private static void keepLarger(Map<String, CityRecord> index, String key, CityRecord city) {
        index.merge(key, city, (first, second) -> LARGER_FIRST.compare(first, second) <= 0 ? first : second);
    }

    private static String lettersOnly(String name) {
        String words = " " + WorldVocabulary.matchKey(name) + " ";
        return words.replace(" st ", " saint ").replace(" ", "");
    }
}
