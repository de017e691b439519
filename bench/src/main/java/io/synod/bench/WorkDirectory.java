// The scratch directory a benchmark writes its checkpoints into: a given one is kept, a temporary one deleted.
package io.synod.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

public final class WorkDirectory {
    private WorkDirectory() {}

    /** Work that reads and writes files under a directory. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Path directory) throws Exception;
    }

    /** Runs {@code work} in {@code given}, or in a fresh temporary directory (named by {@code prefix}) deleted afterwards. */
    public static <T> T use(Path given, String prefix, Work<T> work) throws Exception {
        Path directory = given != null ? given : Files.createTempDirectory(prefix);
        try {
            return work.run(directory);
        } finally {
            if (given == null) {
                deleteRecursively(directory);
            }
        }
    }

    /** Deletes a directory and everything below it. */
    public static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            List<Path> deepestFirst = paths.sorted(Comparator.reverseOrder()).toList();
            for (Path path : deepestFirst) {
                Files.deleteIfExists(path);
            }
        }
    }
}
