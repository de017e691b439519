// One country or territory as described by world-countries, with its continent from countries-list.
package io.synod.kg.world;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A country merged from world-countries ({@code countries.json}) and countries-list ({@code countries.min.json}).
 *
 * @param alpha2 ISO 3166-1 alpha-2 code ("TG")
 * @param alpha3 ISO 3166-1 alpha-3 code ("TGO")
 * @param commonName the common English name ("Togo")
 * @param officialName the official English name ("Togolese Republic")
 * @param alternativeNames other names and spellings, short codes removed
 * @param capitals capital names as world-countries spells them (none, one, or several)
 * @param region world region ("Africa")
 * @param subregion subregion ("Western Africa"), or ""
 * @param continentCode countries-list continent code ("AF"), or ""
 * @param languages ISO 639-3 code to English language name
 * @param currencies ISO 4217 code to currency name
 * @param borders alpha-3 codes of the countries sharing a land border
 * @param area area in km², empty where unknown
 * @param demonyms English demonyms (masculine first; the feminine one when it differs)
 */
record CountryRecord(
        String alpha2,
        String alpha3,
        String commonName,
        String officialName,
        List<String> alternativeNames,
        List<String> capitals,
        String region,
        String subregion,
        String continentCode,
        Map<String, String> languages,
        Map<String, String> currencies,
        List<String> borders,
        boolean landlocked,
        boolean independent,
        boolean unMember,
        Optional<BigDecimal> area,
        List<String> demonyms) {

    CountryRecord {
        alternativeNames = List.copyOf(alternativeNames);
        capitals = List.copyOf(capitals);
        languages = Map.copyOf(languages);
        currencies = Map.copyOf(currencies);
        borders = List.copyOf(borders);
        demonyms = List.copyOf(demonyms);
    }
}
