// Where and how a model runs: device, threads, longest context.
package io.synod.solvers.model;

/**
 * @param device        AUTO uses a GPU when DJL sees one, else the CPU
 * @param threads       PyTorch intra-op threads; 0 keeps the engine's default (one per core)
 * @param contextLength longest prompt plus generation, in tokens; 0 means the model's
 *                      max_position_embeddings, capped at 4096 to keep the rotary tables small
 */
public record RuntimeOptions(DevicePreference device, int threads, int contextLength) {

    public enum DevicePreference { AUTO, CPU, GPU }

    public RuntimeOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be at least 0, got " + threads);
        }
        if (contextLength < 0) {
            throw new IllegalArgumentException("contextLength must be at least 0, got " + contextLength);
        }
    }

    public static RuntimeOptions defaults() {
        return new RuntimeOptions(DevicePreference.AUTO, 0, 0);
    }

    public RuntimeOptions withThreads(int count) {
        return new RuntimeOptions(device, count, contextLength);
    }

    public RuntimeOptions withContextLength(int length) {
        return new RuntimeOptions(device, threads, length);
    }

    public RuntimeOptions withDevice(DevicePreference preference) {
        return new RuntimeOptions(preference, threads, contextLength);
    }
}
