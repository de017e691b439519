// A graph of a few triples for tests that need a graph but not the bundled world.
package io.synod.actors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a small TSV graph (Togo, its capital and currency, Ghana) to a file. */
final class TestGraphs {

    private TestGraphs() {
    }

    static Path write(Path directory) {
        Path file = directory.resolve("small.tsv");
        try {
            Files.writeString(file, """
                    Togo\tcapital\tLomé
                    Togo\tcurrency\tWest African CFA franc
                    Togo\tborders\tGhana
                    Ghana\tcapital\tAccra
                    Ghana\tcurrency\tGhanaian cedi
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
