// Files over 2 GiB, made sparse so they cost no disk and no time: data past the 2 GiB mark reads back.
package io.synod.adapters.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LargeFileTest {

    private static final long GIB = 1L << 30;

    @TempDir
    Path directory;

    @Test
    void aTensorBeyondTheTwoGibMarkReadsBack() throws IOException {
        long tailBegin = 2 * GIB + 200_000_000L;
        String header = "{"
                + entry("a", "U8", GIB, 0, GIB) + ","
                + entry("b", "U8", GIB, GIB, 2 * GIB) + ","
                + entry("c", "U8", 200_000_000L, 2 * GIB, tailBegin) + ","
                + "\"tail\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[" + tailBegin + "," + (tailBegin + 16) + "]}"
                + "}";
        Path file = directory.resolve("large.safetensors");
        long dataStart = writeSparse(file, header, tailBegin + 16);
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(dataStart + 2 * GIB - 1);
            raw.write(0x5a);  // last byte of b
            raw.write(0xa5);  // first byte of c
            raw.seek(dataStart + tailBegin);
            raw.write(Fixtures.floatsLittleEndian(1.5f, -2f, 3.25f, 1e9f).array());
        }
        try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
            assertThat(safetensors.tensors()).extracting(TensorInfo::name).containsExactly("a", "b", "c", "tail");
            assertThat(safetensors.floats("tail")).containsExactly(1.5f, -2f, 3.25f, 1e9f);
            ByteBuffer b = safetensors.bytes("b");
            assertThat(b.capacity()).isEqualTo(GIB);
            assertThat(b.get((int) GIB - 1)).isEqualTo((byte) 0x5a);
            assertThat(safetensors.bytes("c").get(0)).isEqualTo((byte) 0xa5);
        }
    }

    @Test
    void aSingleTensorOverTwoGibIsListedButRefusedWithTheReason() throws IOException {
        long hugeLength = 2 * GIB + 8;
        String header = "{" + entry("huge", "U8", hugeLength, 0, hugeLength) + ","
                + "\"tail\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[" + hugeLength + "," + (hugeLength + 8) + "]}"
                + "}";
        Path file = directory.resolve("huge.safetensors");
        long dataStart = writeSparse(file, header, hugeLength + 8);
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(dataStart + hugeLength);
            raw.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-7).putInt(123456).array());
        }
        try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
            assertThat(safetensors.tensor("huge").orElseThrow().byteLength()).isEqualTo(hugeLength);
            assertThatThrownBy(() -> safetensors.bytes("huge"))
                    .isInstanceOf(SafetensorsException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("'huge'")
                    .hasMessageContaining("over 2 GiB");
            ByteBuffer tail = safetensors.bytes("tail");
            assertThat(tail.getInt(0)).isEqualTo(-7);
            assertThat(tail.getInt(4)).isEqualTo(123456);
        }
    }

    private static String entry(String name, String dtype, long count, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":[" + count + "],\"data_offsets\":[" + begin
                + "," + end + "]}";
    }

    /** Writes the length and header, then extends the file with a hole; returns where the data starts. */
    private static long writeSparse(Path file, String header, long dataSize) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
            raw.write(json);
            raw.setLength(8 + json.length + dataSize);
        }
        return 8 + json.length;
    }
}
