// Tests how world-countries capital names are matched to GeoNames cities.
package io.synod.kg.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CapitalMatcherTest {

    private static CityRecord city(long id, String name, String country, String featureCode, long population) {
        return new CityRecord(id, name, country, "", featureCode, "", population, 0, 0);
    }

    @Test
    void matchesRegardlessOfCaseAndAccentsAndPrefersTheLargerCity() {
        CapitalMatcher matcher = new CapitalMatcher(List.of(
                city(1, "Lome", "TG", "PPL", 100), city(2, "Lomé", "TG", "PPLA", 749700), city(3, "Lomé", "BJ", "PPL", 5000)));

        assertThat(matcher.find("TG", "LOMÉ")).map(CityRecord::geonamesId).contains(2L);
    }

    @Test
    void prefersTheNationalCapitalWhoseNameContainsTheCapitalName() {
        CapitalMatcher matcher = new CapitalMatcher(List.of(
                city(1, "Panama City", "PA", "PPLA3", 0), city(2, "Panamá", "PA", "PPLC", 408168)));

        assertThat(matcher.find("PA", "Panama City")).map(CityRecord::geonamesId).contains(2L);
    }

    @Test
    void readsStAsSaintAndIgnoresPunctuationInsideNames() {
        CapitalMatcher matcher = new CapitalMatcher(List.of(
                city(1, "Saint George's", "GD", "PPLA", 7500), city(2, "Sanaa", "YE", "PPLA", 1937451)));

        assertThat(matcher.find("GD", "St. George's")).map(CityRecord::geonamesId).contains(1L);
        assertThat(matcher.find("YE", "Sana'a")).map(CityRecord::geonamesId).contains(2L);
    }

    @Test
    void findsNothingInAnotherCountry() {
        CapitalMatcher matcher = new CapitalMatcher(List.of(city(1, "Lomé", "TG", "PPLC", 749700)));

        assertThat(matcher.find("BJ", "Lomé")).isEmpty();
    }
}
