// How PyTorch runs for `synod model` and `synod train`: --device and --threads.
package io.synod.app.model;

import io.synod.solvers.model.RuntimeOptions;
import io.synod.solvers.model.RuntimeOptions.DevicePreference;
import picocli.CommandLine.Option;

/** {@code --device} and {@code --threads}: a picocli mixin. */
public final class RuntimeOption {

    @Option(names = "--device", defaultValue = "AUTO", paramLabel = "DEVICE",
            description = "AUTO (a GPU when there is one), CPU or GPU (default: ${DEFAULT-VALUE}).")
    DevicePreference device;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "PyTorch threads; 0 is one per core (default: ${DEFAULT-VALUE}).")
    int threads;

    public DevicePreference device() {
        return device;
    }

    public int threads() {
        return threads;
    }

    /** The defaults with --device and --threads. */
    public RuntimeOptions runtimeOptions() {
        return RuntimeOptions.defaults().withThreads(threads).withDevice(device);
    }
}
