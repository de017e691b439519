// Reads hand-built files, so the reader is checked against the format and not only against our writer.
package io.synod.adapters.safetensors;

import static io.synod.adapters.safetensors.Fixtures.bytes;
import static io.synod.adapters.safetensors.Fixtures.handBuilt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

    @TempDir
    Path directory;

    private static final String HEADER = """
            {"__metadata__":{"format":"pt"},\
            "weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},\
            "ids":{"dtype":"I64","shape":[2],"data_offsets":[16,32]},\
            "half":{"dtype":"F16","shape":[2],"data_offsets":[32,36]},\
            "scalar":{"dtype":"BF16","shape":[],"data_offsets":[36,38]}}""";

    private static final byte[] DATA = bytes(
            0x00, 0x00, 0x80, 0x3f, /* 1.0f */ 0x00, 0x00, 0x00, 0x40, /* 2.0f */
            0x00, 0x00, 0xc0, 0xbf, /* -1.5f */ 0x00, 0x00, 0x00, 0x3f, /* 0.5f */
            0x07, 0, 0, 0, 0, 0, 0, 0, /* 7L */ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* -1L */
            0x00, 0x3c, /* f16 1.0 */ 0x00, 0xc1, /* f16 -2.5 */
            0x80, 0x3f /* bf16 1.0 */);

    @Test
    void aHandBuiltFileIsReadWithItsMetadataShapesAndValues() {
        Path file = handBuilt(directory, "hand.safetensors", HEADER, DATA);
        try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
            assertThat(safetensors.path()).isEqualTo(file);
            assertThat(safetensors.metadata()).isEqualTo(Map.of("format", "pt"));
            assertThat(safetensors.tensors()).containsExactly(
                    new TensorInfo("weight", DType.F32, new long[] {2, 2}, 0, 16),
                    new TensorInfo("ids", DType.I64, new long[] {2}, 16, 32),
                    new TensorInfo("half", DType.F16, new long[] {2}, 32, 36),
                    new TensorInfo("scalar", DType.BF16, new long[] {}, 36, 38));
            assertThat(safetensors.floats("weight")).containsExactly(1.0f, 2.0f, -1.5f, 0.5f);
            ByteBuffer ids = safetensors.bytes("ids");
            assertThat(ids.getLong(0)).isEqualTo(7L);
            assertThat(ids.getLong(8)).isEqualTo(-1L);
            assertThat(safetensors.floats("half")).containsExactly(1.0f, -2.5f);
            assertThat(safetensors.floats("scalar")).containsExactly(1.0f);
        }
    }

    @Test
    void tensorsAreListedInOffsetOrderWhateverTheHeaderOrder() {
        String header = "{\"b\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]},"
                + "\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}     ";
        try (SafetensorsFile safetensors = SafetensorsFile.open(handBuilt(directory, "order.safetensors", header,
                bytes(10, 20)))) {
            assertThat(safetensors.tensors()).extracting(TensorInfo::name).containsExactly("a", "b");
            assertThat(safetensors.bytes("b").get(0)).isEqualTo((byte) 20);
        }
    }

    @Test
    void bytesIsADirectReadOnlyLittleEndianViewOfExactlyTheTensor() {
        try (SafetensorsFile safetensors = SafetensorsFile.open(handBuilt(directory, "view.safetensors", HEADER, DATA))) {
            ByteBuffer half = safetensors.bytes("half");
            assertThat(half.isDirect()).isTrue();
            assertThat(half.isReadOnly()).isTrue();
            assertThat(half.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
            assertThat(half.position()).isZero();
            assertThat(half.remaining()).isEqualTo(4);
            assertThat(half.getShort(0)).isEqualTo((short) 0x3c00);
        }
    }

    @Test
    void lookupsAnswerForPresentAndAbsentNames() {
        try (SafetensorsFile safetensors = SafetensorsFile.open(handBuilt(directory, "look.safetensors", HEADER, DATA))) {
            assertThat(safetensors.contains("ids")).isTrue();
            assertThat(safetensors.contains("nope")).isFalse();
            assertThat(safetensors.tensor("ids")).map(TensorInfo::dtype).contains(DType.I64);
            assertThat(safetensors.tensor("nope")).isEmpty();
        }
    }

    @Test
    void aMissingKeyIsAnErrorNamingTheFileAndTheKey() {
        Path file = handBuilt(directory, "missing.safetensors", HEADER, DATA);
        try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
            assertThatThrownBy(() -> safetensors.bytes("model.norm.weight"))
                    .isInstanceOf(SafetensorsException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("'model.norm.weight'");
        }
    }

    @Test
    void floatsOfAnIntegerTensorIsRefused() {
        Path file = handBuilt(directory, "ints.safetensors", HEADER, DATA);
        try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
            assertThatThrownBy(() -> safetensors.floats("ids"))
                    .isInstanceOf(SafetensorsException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("'ids'")
                    .hasMessageContaining("I64");
        }
    }

    @Test
    void aClosedFileRefusesToHandOutBytes() {
        SafetensorsFile safetensors = SafetensorsFile.open(handBuilt(directory, "closed.safetensors", HEADER, DATA));
        safetensors.close();
        assertThatThrownBy(() -> safetensors.bytes("ids")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed.safetensors");
    }

    @Test
    void emptyTensorsAndAnEmptyFileAreValid() {
        String header = "{\"empty\":{\"dtype\":\"F32\",\"shape\":[0,4],\"data_offsets\":[0,0]}}";
        try (SafetensorsFile safetensors = SafetensorsFile.open(handBuilt(directory, "empty.safetensors", header,
                new byte[0]))) {
            assertThat(safetensors.bytes("empty").remaining()).isZero();
            assertThat(safetensors.floats("empty")).isEmpty();
        }
        try (SafetensorsFile safetensors = SafetensorsFile.open(handBuilt(directory, "none.safetensors", "{}",
                new byte[0]))) {
            assertThat(safetensors.tensors()).isEmpty();
            assertThat(safetensors.metadata()).isEmpty();
        }
    }

    @Test
    void aFileShorterThanTheLengthFieldIsRefused() {
        Path file = Fixtures.write(directory.resolve("tiny.safetensors"), bytes(1, 2, 3));
        assertRefused(file, "at least 8");
    }

    @Test
    void aHeaderLengthBeyondTheFileIsRefused() {
        ByteBuffer content = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(1000);
        Path file = Fixtures.write(directory.resolve("long.safetensors"), content.array());
        assertRefused(file, "header length 1000 reaches beyond the end of the file");
    }

    @Test
    void aHeaderLengthOverTheLimitIsRefused() {
        ByteBuffer content = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L);
        Path file = Fixtures.write(directory.resolve("huge.safetensors"), content.array());
        assertRefused(file, "18446744073709551615 exceeds the limit of 100000000 bytes");
    }

    @Test
    void aHeaderThatIsNotJsonIsRefused() {
        assertRefused(handBuilt(directory, "text.safetensors", "{this is not json}", new byte[0]), "not valid JSON");
        assertRefused(handBuilt(directory, "array.safetensors", "[1, 2]", new byte[0]), "starting with '{'");
        assertRefused(handBuilt(directory, "trailing.safetensors", "{} {}", new byte[0]), "not valid JSON");
    }

    @Test
    void aHeaderThatIsNotUtf8IsRefused() {
        byte[] header = "{\"\u00e9\":1}".getBytes(StandardCharsets.ISO_8859_1);
        assertRefused(Fixtures.raw(directory, "latin1.safetensors", header, new byte[0]), "not valid UTF-8");
    }

    @Test
    void aRepeatedTensorNameIsRefused() {
        String header = "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
                + "\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}";
        assertRefused(handBuilt(directory, "twice.safetensors", header, bytes(1, 2)), "Duplicate field 'a'");
    }

    @Test
    void anUnknownDtypeIsRefusedNamingTheKeyAndTheKnownTypes() {
        String header = "{\"scale\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}";
        assertRefused(handBuilt(directory, "fp8.safetensors", header, bytes(0)),
                "tensor 'scale'", "unknown dtype 'F8_E4M3'", "F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL");
    }

    @Test
    void aShapeThatDisagreesWithTheByteRangeIsRefused() {
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}";
        assertRefused(handBuilt(directory, "mismatch.safetensors", header, new byte[12]),
                "tensor 'w'", "takes 16 bytes, but data_offsets [0, 12] span 12");
    }

    @Test
    void aNegativeOrFractionalDimensionIsRefused() {
        String negative = "{\"w\":{\"dtype\":\"U8\",\"shape\":[-1],\"data_offsets\":[0,0]}}";
        assertRefused(handBuilt(directory, "negative.safetensors", negative, new byte[0]),
                "tensor 'w'", "non-negative integers");
        String fractional = "{\"w\":{\"dtype\":\"U8\",\"shape\":[1.5],\"data_offsets\":[0,1]}}";
        assertRefused(handBuilt(directory, "fraction.safetensors", fractional, new byte[1]),
                "tensor 'w'", "non-negative integers");
    }

    @Test
    void aShapeWhoseSizeOverflowsIsRefused() {
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,0]}}";
        assertRefused(handBuilt(directory, "overflow.safetensors", header, new byte[0]), "tensor 'w'", "long");
    }

    @Test
    void overlappingTensorsAreRefusedNamingBoth() {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertRefused(handBuilt(directory, "overlap.safetensors", header, new byte[12]),
                "'a' [0, 8)", "'b' [4, 12)", "overlap");
    }

    @Test
    void anEmptyTensorInsideAnotherTensorCountsAsOverlap() {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}}";
        assertRefused(handBuilt(directory, "inside.safetensors", header, new byte[8]), "'e'", "overlap");
    }

    @Test
    void offsetsBeyondTheDataSectionAreRefused() {
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertRefused(handBuilt(directory, "range.safetensors", header, new byte[4]),
                "tensor 'w'", "beyond the data section of 4 bytes");
    }

    @Test
    void offsetsThatRunBackwardsAreRefused() {
        String header = "{\"w\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[4,2]}}";
        assertRefused(handBuilt(directory, "backwards.safetensors", header, new byte[4]),
                "tensor 'w'", "expected begin <= end");
    }

    @Test
    void aGapBetweenTensorsIsRefused() {
        String header = "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[2,3]}}";
        assertRefused(handBuilt(directory, "gap.safetensors", header, new byte[3]),
                "bytes [1, 2)", "tensor 'b'", "without gaps");
    }

    @Test
    void bytesAfterTheLastTensorAreRefused() {
        String header = "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}";
        assertRefused(handBuilt(directory, "trailer.safetensors", header, new byte[5]),
                "data section has 5 bytes", "end at byte 1");
    }

    @Test
    void nonStringMetadataIsRefused() {
        String header = "{\"__metadata__\":{\"epoch\":3}}";
        assertRefused(handBuilt(directory, "meta.safetensors", header, new byte[0]), "'epoch'", "must be a string");
    }

    @Test
    void aTruncatedFileIsRefusedNamingTheTensorThatNoLongerFits() throws IOException {
        Path file = directory.resolve("cut.safetensors");
        SafetensorsWriter.create()
                .putFloats("a", new long[] {4}, new float[] {1, 2, 3, 4}, DType.F32)
                .putFloats("b", new long[] {4}, new float[] {5, 6, 7, 8}, DType.F32)
                .write(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 3);
        }
        assertRefused(file, "tensor 'b'", "truncated");
    }

    @Test
    void aMissingFileIsRefusedNamingIt() {
        assertRefused(directory.resolve("absent.safetensors"), "no such file");
    }

    private static void assertRefused(Path file, String... expectedParts) {
        assertThatThrownBy(() -> SafetensorsFile.open(file).close())
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining(file.toString())
                .satisfies(error -> {
                    for (String part : expectedParts) {
                        assertThat(error.getMessage()).contains(part);
                    }
                });
    }
}
