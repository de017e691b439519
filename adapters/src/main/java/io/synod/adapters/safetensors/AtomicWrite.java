// Writes a file so that readers see either the old file or the whole new one, never a part.
package io.synod.adapters.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes into a temporary file beside the target, forces it to disk, then renames it over the target
 * in one atomic step. On any failure the temporary file is deleted and the target is left as it was.
 */
final class AtomicWrite {

    private static final Logger log = LoggerFactory.getLogger(AtomicWrite.class);

    /** Heap buffers are written in pieces: the JDK copies each write into a direct buffer of that size. */
    private static final int CHUNK = 1 << 20;

    /** Streams the file's content into the channel. */
    @FunctionalInterface
    interface Body {
        void writeTo(FileChannel channel) throws IOException;
    }

    private AtomicWrite() {
    }

    /**
     * @param beforeMove called with the complete temporary file just before the rename; tests use it to
     *     fail at the last moment
     * @throws SafetensorsException naming the target if anything fails
     */
    static void write(Path target, Body body, Consumer<Path> beforeMove) {
        Path absolute = target.toAbsolutePath();
        Path temporary = absolute.resolveSibling("." + absolute.getFileName() + "."
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        boolean moved = false;
        try {
            // CREATE_NEW rather than Files.createTempFile: the latter makes the file owner-only (0600),
            // and the rename would carry that mode to the target.
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                body.writeTo(channel);
                channel.force(true);
            }
            beforeMove.accept(temporary);
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } catch (IOException e) {
            throw new SafetensorsException(absolute + ": could not write the file (" + e + ")", e);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    log.warn("Could not delete the temporary file {} after a failed write", temporary, e);
                }
            }
        }
    }

    /** Writes all remaining bytes of the buffer, in pieces of at most 1 MiB. */
    static void writeFully(FileChannel channel, ByteBuffer data) throws IOException {
        ByteBuffer source = data.duplicate();
        while (source.hasRemaining()) {
            int length = Math.min(CHUNK, source.remaining());
            ByteBuffer piece = source.slice(source.position(), length);
            while (piece.hasRemaining()) {
                channel.write(piece);
            }
            source.position(source.position() + length);
        }
    }
}
