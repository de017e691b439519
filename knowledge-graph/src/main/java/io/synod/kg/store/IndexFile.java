// Persists the label index and graph statistics next to a TDB2 store, so that reopening does not scan it.
package io.synod.kg.store;

import io.synod.kg.linking.LinkingIndex;
import io.synod.kg.linking.TextNormalizer;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A binary snapshot of what loading computed besides the triples: triple count, triples per predicate,
 * and the {@link LinkingIndex.Data} (entities, degrees, populations, labels). Layout, big-endian: magic
 * {@code "SYNODKGI"}, version int, triple count long, predicates (count, then IRI + count each), entities
 * (count, then id, primary label or absent, degree, population each), label entries (count, the
 * {@link TextNormalizer#VERSION} of the normal forms or -1, then entity number, text and normal form each). Strings are an int byte length and UTF-8 bytes (-1 for null).
 */
public final class IndexFile {

    private static final Logger LOG = LoggerFactory.getLogger(IndexFile.class);
    private static final long MAGIC = 0x53594E4F444B4749L; // "SYNODKGI"
    private static final int VERSION = 2;

    /** What the file holds. */
    public record Content(long triples, Map<String, Long> predicateCounts, LinkingIndex.Data data) {
    }

    private IndexFile() {
    }

    /** Writes {@code content} to {@code file} (through a temporary file, then an atomic move). */
    public static void write(Path file, Content content) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 20))) {
            out.writeLong(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(content.triples());
            out.writeInt(content.predicateCounts().size());
            for (Map.Entry<String, Long> entry : content.predicateCounts().entrySet()) {
                writeString(out, entry.getKey());
                out.writeLong(entry.getValue());
            }
            LinkingIndex.Data data = content.data();
            out.writeInt(data.ids().length);
            for (int i = 0; i < data.ids().length; i++) {
                writeString(out, data.ids()[i]);
                writeString(out, data.labels()[i]);
                out.writeInt(data.degrees()[i]);
                out.writeLong(data.populations()[i]);
            }
            out.writeInt(data.labelTexts().length);
            out.writeInt(data.labelKeys() == null ? -1 : TextNormalizer.VERSION);
            for (int i = 0; i < data.labelTexts().length; i++) {
                out.writeInt(data.labelEntities()[i]);
                writeString(out, data.labelTexts()[i]);
                writeString(out, data.labelKeys() == null ? null : data.labelKeys()[i]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(temporary + ": " + e.getMessage(), e);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The content of {@code file}, or empty (with a warning) when it is missing, of another version or damaged. */
    public static Optional<Content> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            // One read of the whole file, then decoding from memory: much faster than a stream for ~1M strings.
            ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
            if (in.getLong() != MAGIC || in.getInt() != VERSION) {
                LOG.warn("{}: not a Synod index of version {}; rebuilding it from the store", file, VERSION);
                return Optional.empty();
            }
            long triples = in.getLong();
            int predicates = in.getInt();
            Map<String, Long> predicateCounts = new LinkedHashMap<>();
            for (int i = 0; i < predicates; i++) {
                predicateCounts.put(readString(in), in.getLong());
            }
            int entities = in.getInt();
            String[] ids = new String[entities];
            String[] labels = new String[entities];
            int[] degrees = new int[entities];
            long[] populations = new long[entities];
            for (int i = 0; i < entities; i++) {
                ids[i] = readString(in);
                labels[i] = readString(in);
                degrees[i] = in.getInt();
                populations[i] = in.getLong();
            }
            int entries = in.getInt();
            int[] labelEntities = new int[entries];
            String[] labelTexts = new String[entries];
            String[] labelKeys = new String[entries];
            boolean keysCurrent = in.getInt() == TextNormalizer.VERSION;
            for (int i = 0; i < entries; i++) {
                labelEntities[i] = in.getInt();
                labelTexts[i] = readString(in);
                labelKeys[i] = readString(in);
            }
            return Optional.of(new Content(triples, predicateCounts, new LinkingIndex.Data(ids, labels, degrees,
                    populations, labelEntities, labelTexts, keysCurrent ? labelKeys : null)));
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: cannot read the persisted index ({}); rebuilding it from the store", file, e.toString());
            return Optional.empty();
        }
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        String value = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return value;
    }
}
