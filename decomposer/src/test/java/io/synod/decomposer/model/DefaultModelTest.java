package io.synod.decomposer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synod.adapters.experts.ExpertCard;
import io.synod.decomposer.training.TrainingCorpus;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultModelTest {

    private static final Path RESOURCES = Path.of("src/main/resources/io/synod/decomposer/default");

    @TempDir
    Path directory;

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void theManifestListsEveryShippedFileWithItsHash() throws Exception {
        Map<String, String> shipped = new TreeMap<>();
        try (Stream<Path> files = Files.walk(RESOURCES)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String relative = RESOURCES.relativize(file).toString();
                if (relative.startsWith("base/") || relative.startsWith("adapters/")) {
                    shipped.put(relative, sha256(Files.readAllBytes(file)));
                }
            }
        }
        Map<String, String> listed = new TreeMap<>();
        for (String line : Files.readAllLines(RESOURCES.resolve("MANIFEST"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] parts = line.split(" ");
                listed.put(parts[0], parts[1]);
            }
        }
        assertThat(listed).isEqualTo(shipped);
        assertThat(listed).containsKeys("adapters/walk/expert.json", "adapters/decompose/expert.json");
    }

    @Test
    void everyShippedExpertUnpacksWithItsCard() {
        Path unpacked = DefaultModel.directory();
        for (String task : TrainingCorpus.TASKS) {
            ExpertCard card = ExpertCard.read(unpacked.resolve("adapters").resolve(task)).orElseThrow();
            assertThat(card.name()).isEqualTo(task);
            assertThat(card.task()).isEqualTo(task);
            assertThat(card.description()).isNotBlank();
            assertThat(card.trainedOn()).contains("steps on");
            assertThat(card.exemplars()).hasSize(16);
        }
    }

    @Test
    void unpackingChecksEachFileAgainstItsHash() throws Exception {
        byte[] config = "{\"hidden_size\": 8}".getBytes(StandardCharsets.UTF_8);
        byte[] card = "{\"name\": \"walk\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> files = Map.of("base/config.json", config, "adapters/walk/expert.json", card);
        java.util.function.Function<String, InputStream> source = name -> new ByteArrayInputStream(files.get(name));
        List<String> manifest = List.of("base/config.json " + sha256(config), "adapters/walk/expert.json " + sha256(card));

        Path good = DefaultModel.unpack(manifest, source, directory.resolve("good"));
        assertThat(good.resolve("adapters/walk/expert.json")).hasBinaryContent(card);

        List<String> stale = List.of("base/config.json " + sha256(config), "adapters/walk/expert.json " + sha256(config));
        Path bad = directory.resolve("bad");
        assertThatThrownBy(() -> DefaultModel.unpack(stale, source, bad)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("adapters/walk/expert.json").hasMessageContaining("SHA-256");
        assertThat(bad).doesNotExist();
        try (Stream<Path> left = Files.list(directory)) {
            assertThat(left.map(path -> path.getFileName().toString())).containsExactly("good");
        }
    }

    @Test
    void aManifestNamingAMissingFileFailsNamingIt() {
        List<String> manifest = List.of("base/gone.json " + "0".repeat(64));
        assertThatThrownBy(() -> DefaultModel.unpack(manifest, name -> null, directory.resolve("target")))
                .hasMessageContaining("base/gone.json").hasMessageContaining("missing");
    }
}
