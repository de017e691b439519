// Builds safetensors files byte by byte for tests, independently of SafetensorsWriter.
package io.synod.adapters.safetensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

final class Fixtures {

    private Fixtures() {
    }

    /** A file of the 8-byte little-endian length of the header, the header as UTF-8, then the data. */
    static Path handBuilt(Path directory, String fileName, String headerJson, byte[] data) {
        return raw(directory, fileName, headerJson.getBytes(StandardCharsets.UTF_8), data);
    }

    /** Like {@link #handBuilt} with the header given as raw bytes (for invalid UTF-8). */
    static Path raw(Path directory, String fileName, byte[] header, byte[] data) {
        ByteBuffer file = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(header.length).put(header).put(data);
        return write(directory.resolve(fileName), file.array());
    }

    static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes written out one by one, given as ints for readability. */
    static byte[] bytes(int... values) {
        byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (byte) values[i];
        }
        return result;
    }

    /** A little-endian buffer of floats, positioned at 0. */
    static ByteBuffer floatsLittleEndian(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return buffer.flip();
    }
}
