// Writes files and reads them back: bit-identical round trips, deterministic layout, atomic replacement.
package io.synod.adapters.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {

    @TempDir
    Path directory;

    @Test
    void everyDtypeRoundTripsBitForBit() {
        Random random = new Random(42);
        SafetensorsWriter writer = SafetensorsWriter.create();
        long[] shape = {3, 5};
        Map<DType, byte[]> written = new EnumMap<>(DType.class);
        for (DType dtype : DType.values()) {
            byte[] data = new byte[15 * dtype.byteSize()];
            random.nextBytes(data);
            if (dtype == DType.BOOL) {
                for (int i = 0; i < data.length; i++) {
                    data[i] = (byte) (data[i] & 1);
                }
            }
            written.put(dtype, data);
            writer.put(dtype.name().toLowerCase(), dtype, shape, ByteBuffer.wrap(data));
        }
        Path file = directory.resolve("all.safetensors");
        writer.write(file);
        try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
            for (DType dtype : DType.values()) {
                String name = dtype.name().toLowerCase();
                assertThat(safetensors.tensor(name)).get()
                        .satisfies(info -> {
                            assertThat(info.dtype()).isEqualTo(dtype);
                            assertThat(info.shape()).containsExactly(3, 5);
                        });
                ByteBuffer bytes = safetensors.bytes(name);
                byte[] read = new byte[bytes.remaining()];
                bytes.get(read);
                assertThat(read).as(name).isEqualTo(written.get(dtype));
            }
        }
    }

    @Test
    void floatsStoredAsF32F16AndBf16ReadBackAsTheRoundedValues() {
        float[] values = {1.0f, -2.5f, 0.1f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY, Float.NaN, -0.0f};
        long[] shape = {2, 4};
        Path file = directory.resolve("floats.safetensors");
        SafetensorsWriter.create()
                .putFloats("f32", shape, values, DType.F32)
                .putFloats("f16", shape, values, DType.F16)
                .putFloats("bf16", shape, values, DType.BF16)
                .write(file);
        try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
            assertThat(safetensors.floats("f32")).usingElementComparator(SafetensorsWriterTest::sameBits)
                    .containsExactly(values);
            float[] halves = safetensors.floats("f16");
            float[] bfloats = safetensors.floats("bf16");
            for (int i = 0; i < values.length; i++) {
                assertThat(halves[i]).usingComparator(SafetensorsWriterTest::sameBits)
                        .isEqualTo(HalfPrecision.float16ToFloat(HalfPrecision.floatToFloat16(values[i])));
                assertThat(bfloats[i]).usingComparator(SafetensorsWriterTest::sameBits)
                        .isEqualTo(HalfPrecision.bfloat16ToFloat(HalfPrecision.floatToBfloat16(values[i])));
            }
            assertThat(halves[2]).isEqualTo(0.0999755859375f);
            assertThat(safetensors.bytes("f16").getShort(4)).isEqualTo((short) 0x2e66);
            assertThat(safetensors.bytes("bf16").getShort(4)).isEqualTo((short) 0x3dcd);
        }
    }

    @Test
    void f64TensorsReadAsFloatsRoundedToNearest() {
        ByteBuffer doubles = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1).putDouble(-3.0).flip();
        Path file = directory.resolve("f64.safetensors");
        SafetensorsWriter.create().put("d", DType.F64, new long[] {2}, doubles).write(file);
        try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
            assertThat(safetensors.floats("d")).containsExactly(0.1f, -3.0f);
        }
    }

    @Test
    void scalarsEmptyTensorsAndMetadataRoundTrip() {
        Path file = directory.resolve("misc.safetensors");
        SafetensorsWriter.create()
                .metadata("format", "pt")
                .metadata("note", "caf\u00e9 \u2713")
                .putFloats("scalar", new long[] {}, new float[] {7f}, DType.F32)
                .put("empty", DType.I32, new long[] {0, 3}, ByteBuffer.allocate(0))
                .write(file);
        try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
            assertThat(safetensors.metadata()).containsExactly(Map.entry("format", "pt"), Map.entry("note", "caf\u00e9 \u2713"));
            assertThat(safetensors.floats("scalar")).containsExactly(7f);
            assertThat(safetensors.tensor("scalar").orElseThrow().elementCount()).isEqualTo(1);
            assertThat(safetensors.tensor("empty").orElseThrow().shape()).containsExactly(0, 3);
            assertThat(safetensors.bytes("empty").remaining()).isZero();
        }
    }

    @Test
    void putReadsTheBufferFromItsPositionWithoutMovingIt() {
        ByteBuffer data = ByteBuffer.wrap(new byte[] {9, 9, 1, 2, 3, 4});
        data.position(2);
        Path file = directory.resolve("position.safetensors");
        SafetensorsWriter.create().put("u", DType.U8, new long[] {4}, data).write(file);
        assertThat(data.position()).isEqualTo(2);
        try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
            assertThat(safetensors.bytes("u").get(0)).isEqualTo((byte) 1);
        }
    }

    @Test
    void twoWritesOfTheSameTensorsAreByteIdenticalWhateverTheOrderTheyWerePut() throws IOException {
        float[] values = {1, 2, 3, 4, 5, 6};
        Path first = directory.resolve("first.safetensors");
        Path second = directory.resolve("second.safetensors");
        SafetensorsWriter.create().metadata("b", "2").metadata("a", "1")
                .putFloats("z", new long[] {6}, values, DType.F16)
                .putFloats("a", new long[] {2, 3}, values, DType.F32)
                .write(first);
        SafetensorsWriter.create().metadata("a", "1").metadata("b", "2")
                .putFloats("a", new long[] {2, 3}, values, DType.F32)
                .putFloats("z", new long[] {6}, values, DType.F16)
                .write(second);
        assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(second));
    }

    @Test
    void tensorsAreLaidOutInNameOrderAndTheHeaderIsPaddedWithSpacesToAMultipleOfEight() throws IOException {
        Path file = directory.resolve("layout.safetensors");
        SafetensorsWriter.create()
                .putFloats("beta", new long[] {1}, new float[] {2}, DType.F32)
                .putFloats("alpha", new long[] {1}, new float[] {1}, DType.F32)
                .write(file);
        byte[] content = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertThat(headerLength % 8).isZero();
        String header = new String(content, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertThat(header).startsWith("{\"alpha\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"beta\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}");
        assertThat(header.substring(header.lastIndexOf('}') + 1)).matches(" {0,7}");
        try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
            assertThat(safetensors.tensors()).extracting(TensorInfo::name).containsExactly("alpha", "beta");
        }
    }

    @Test
    void aSuccessfulWriteLeavesOnlyTheTarget() throws IOException {
        Path file = directory.resolve("only.safetensors");
        SafetensorsWriter.create().putFloats("a", new long[] {1}, new float[] {1}, DType.F32).write(file);
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aWriteThatFailsBeforeTheRenameLeavesNeitherTargetNorTemporaryFile() throws IOException {
        Path file = directory.resolve("failed.safetensors");
        SafetensorsWriter writer = SafetensorsWriter.create().putFloats("a", new long[] {1}, new float[] {1}, DType.F32);
        assertThatThrownBy(() -> writer.write(file, temporary -> {
            assertThat(temporary).exists().hasParent(directory);
            throw new IllegalStateException("simulated failure");
        })).hasMessage("simulated failure");
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aFailedWriteLeavesAnExistingFileUnchanged() throws IOException {
        Path file = directory.resolve("kept.safetensors");
        SafetensorsWriter.create().putFloats("old", new long[] {1}, new float[] {1}, DType.F32).write(file);
        byte[] before = Files.readAllBytes(file);
        SafetensorsWriter replacement = SafetensorsWriter.create()
                .putFloats("new", new long[] {2}, new float[] {2, 3}, DType.F32);
        assertThatThrownBy(() -> replacement.write(file, temporary -> {
            throw new IllegalStateException("simulated failure");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aWriteThatCannotReplaceTheTargetFailsNamingItAndCleansUp() throws IOException {
        Path occupied = directory.resolve("occupied.safetensors");
        Files.createDirectories(occupied.resolve("inside"));
        SafetensorsWriter writer = SafetensorsWriter.create().putFloats("a", new long[] {1}, new float[] {1}, DType.F32);
        assertThatThrownBy(() -> writer.write(occupied))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining(occupied.toString());
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).containsExactly(occupied);
        }
    }

    @Test
    void writtenFilesAreReadableByOthersAsAnOrdinaryNewFileWouldBe() throws IOException {
        Path file = directory.resolve("mode.safetensors");
        Path ordinary = Files.write(directory.resolve("ordinary"), new byte[0]);
        SafetensorsWriter.create().write(file);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(ordinary));
    }

    @Test
    void putRefusesABufferOfTheWrongSize() {
        assertThatThrownBy(() -> SafetensorsWriter.create().put("w", DType.F32, new long[] {2, 2}, ByteBuffer.allocate(12)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'w'")
                .hasMessageContaining("takes 16 bytes");
    }

    @Test
    void putRefusesTheMetadataKeyAndRepeatedNames() {
        SafetensorsWriter writer = SafetensorsWriter.create().put("w", DType.U8, new long[] {1}, ByteBuffer.allocate(1));
        assertThatThrownBy(() -> writer.put("w", DType.U8, new long[] {1}, ByteBuffer.allocate(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already");
        assertThatThrownBy(() -> writer.put("__metadata__", DType.U8, new long[] {1}, ByteBuffer.allocate(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
    }

    @Test
    void putFloatsRefusesAnIntegerStorageTypeAndAMismatchedShape() {
        assertThatThrownBy(() -> SafetensorsWriter.create().putFloats("w", new long[] {1}, new float[] {1}, DType.I32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("F32, F16 or BF16");
        assertThatThrownBy(() -> SafetensorsWriter.create().putFloats("w", new long[] {2}, new float[] {1}, DType.F32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 elements; got 1 values");
    }

    private static int sameBits(Float left, Float right) {
        return Integer.compare(Float.floatToRawIntBits(left), Float.floatToRawIntBits(right));
    }
}
