// The embedded default: the small model and its experts shipped in this module's resources, unpacked once
// to a directory the runtime loads from.
package io.synod.decomposer.model;

import io.synod.decomposer.reasoning.Reasoner;
import io.synod.kg.KnowledgeGraph;
import io.synod.solvers.answering.ModelSolver;
import io.synod.solvers.knowledge.WalkGraph;
import io.synod.solvers.model.RuntimeOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * Where the default model comes from: the directory named by the system property {@value #PROPERTY} (the
 * layout {@code DefaultModelTraining} writes: {@code base/} and {@code adapters/<expert>/}), or else the copy
 * in this module's resources ({@value #RESOURCE}, files listed in its {@code MANIFEST} with their SHA-256, so
 * that a changed model unpacks to a new directory), unpacked to
 * {@code <java.io.tmpdir>/synod-default-<manifest hash>/} on first use (each file checked against its SHA-256,
 * written to a temporary name and moved into place, so a half-written or damaged copy is never used). The
 * experts' cards ({@code adapters/<expert>/expert.json}) are among the files.
 */
public final class DefaultModel {

    public static final String PROPERTY = "synod.default-model";
    public static final String RESOURCE = "/io/synod/decomposer/default/";

    private DefaultModel() {
    }

    /** The directory holding {@code base/} and {@code adapters/}. */
    public static synchronized Path directory() {
        String override = System.getProperty(PROPERTY);
        if (override != null && !override.isBlank()) {
            Path path = Path.of(override);
            if (!Files.isDirectory(path.resolve("base"))) {
                throw new IllegalArgumentException(PROPERTY + " is " + path + " but it has no base/ model directory");
            }
            return path;
        }
        List<String> files = manifest();
        Path target = Path.of(System.getProperty("java.io.tmpdir"))
                .resolve("synod-default-" + Integer.toHexString(String.join("\n", files).hashCode()));
        if (Files.isDirectory(target)) {
            return target;
        }
        return unpack(files, name -> DefaultModel.class.getResourceAsStream(RESOURCE + name), target);
    }

    /**
     * Copies every file of {@code manifest} (lines {@code <relative path> <sha-256>}) from {@code source} into a
     * staging directory beside {@code target}, checking each against its SHA-256, then moves the whole directory
     * into place at once.
     *
     * @throws IllegalStateException naming the file that is missing or whose content does not match its hash
     */
    static Path unpack(List<String> manifest, Function<String, InputStream> source, Path target) {
        Path staging = null;
        try {
            staging = Files.createTempDirectory(target.getParent(), "synod-default-unpacking");
            for (String line : manifest) {
                String[] parts = line.strip().split(" +");
                if (parts.length != 2 || !parts[1].matches("[0-9a-f]{64}")) {
                    throw new IllegalStateException("the default model's MANIFEST line \"" + line
                            + "\" is not <relative path> <sha-256>");
                }
                Path destination = staging.resolve(parts[0]).normalize();
                if (!destination.startsWith(staging)) {
                    throw new IllegalStateException("the default model's MANIFEST names " + parts[0]
                            + ", outside the model directory");
                }
                Files.createDirectories(destination.getParent());
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                try (InputStream in = source.apply(parts[0])) {
                    if (in == null) {
                        throw new IllegalStateException("the default model's file " + parts[0] + " is missing from the jar");
                    }
                    Files.copy(new DigestInputStream(in, digest), destination);
                }
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!actual.equals(parts[1])) {
                    throw new IllegalStateException("the default model's file " + parts[0] + " has SHA-256 " + actual
                            + " but its MANIFEST says " + parts[1] + "; the jar is damaged or the MANIFEST is stale"
                            + " (scripts/ship-default-model writes both)");
                }
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                staging = null;
            } catch (IOException raced) {
                if (!Files.isDirectory(target)) {
                    throw raced;
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the default model to " + target + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        } finally {
            if (staging != null) {
                deleteQuietly(staging);
            }
        }
    }

    private static void deleteQuietly(Path directory) {
        try (java.util.stream.Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a leftover staging directory in the temporary directory does no harm
        }
    }

    /** Loads the base model with every expert. */
    public static ModelSolver load(RuntimeOptions options) {
        Path directory = directory();
        return ModelSolver.load(directory.resolve("base"), directory.resolve("adapters"), options);
    }

    /** A reasoner on the default model and the given graph. */
    public static Reasoner reasoner(KnowledgeGraph graph, RuntimeOptions options) {
        return new Reasoner(load(options), new WalkGraph(graph), Reasoner.Experts.standard());
    }

    private static List<String> manifest() {
        try (InputStream in = DefaultModel.class.getResourceAsStream(RESOURCE + "MANIFEST")) {
            if (in == null) {
                throw new IllegalStateException("no default model in the jar (" + RESOURCE + "MANIFEST is missing);"
                        + " train one with `synod train default` and point -D" + PROPERTY + " at it");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the default model's manifest", e);
        }
    }
}
