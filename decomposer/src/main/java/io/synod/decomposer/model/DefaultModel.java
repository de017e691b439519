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
import java.util.List;

/**
 * Where the default model comes from: the directory named by the system property {@value #PROPERTY} (the
 * layout {@code DefaultModelTraining} writes: {@code base/} and {@code adapters/<expert>/}), or else the copy
 * in this module's resources ({@value #RESOURCE}, files listed in its {@code MANIFEST} with their SHA-256, so
 * that a changed model unpacks to a new directory), unpacked to
 * {@code <java.io.tmpdir>/synod-default-<manifest hash>/} on first use (written to a temporary name and
 * moved into place, so a half-written copy is never used).
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
        try {
            Path staging = Files.createTempDirectory(target.getParent(), "synod-default-unpacking");
            for (String file : files) {
                String[] parts = file.split(" ");
                Path destination = staging.resolve(parts[0]);
                Files.createDirectories(destination.getParent());
                try (InputStream in = DefaultModel.class.getResourceAsStream(RESOURCE + parts[0])) {
                    if (in == null) {
                        throw new IllegalStateException("the default model's file " + parts[0] + " is missing from the jar");
                    }
                    Files.copy(in, destination);
                }
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                if (!Files.isDirectory(target)) {
                    throw raced;
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the default model to " + target + ": " + e.getMessage(), e);
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
