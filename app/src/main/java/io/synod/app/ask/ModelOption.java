// The model that `synod ask`, `synod eval` and the `synod experts` commands run: the embedded default, or a
// directory of base/ and adapters/.
package io.synod.app.ask;

import io.synod.decomposer.model.DefaultModel;
import io.synod.solvers.answering.ModelSolver;
import io.synod.solvers.model.RuntimeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model-dir} and {@code --threads}, and the loading they imply: a picocli mixin. */
public final class ModelOption {

    @Option(names = "--model-dir", paramLabel = "DIR",
            description = "A model directory laid out as `synod train default` writes it (base/ and adapters/, each"
                    + " expert with its expert.json); default: the embedded default.")
    Path modelDirectory;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "PyTorch threads for inference (default: ${DEFAULT-VALUE}).")
    int threads;

    /** The directory holding base/ and adapters/. */
    public Path directory() {
        if (modelDirectory == null) {
            return DefaultModel.directory();
        }
        if (!Files.isDirectory(modelDirectory.resolve("base"))) {
            throw new IllegalArgumentException("--model-dir " + modelDirectory + " has no base/ model directory (the"
                    + " layout `synod train default` writes)");
        }
        return modelDirectory;
    }

    /** The base model with every expert of adapters/ resident. */
    public ModelSolver load() {
        Path directory = directory();
        return ModelSolver.load(directory.resolve("base"), directory.resolve("adapters"),
                RuntimeOptions.defaults().withThreads(threads));
    }
}
