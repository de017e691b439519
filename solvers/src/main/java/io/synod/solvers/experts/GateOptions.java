// The settings of the gate: which gate, which experts it routes among, the state it reads, its temperature and
// how many experts it mixes.
package io.synod.solvers.experts;

import java.util.List;
import java.util.Locale;

/**
 * @param experts     the experts routed among; empty for every expert the gate knows (the similarity gate: every
 *                    resident expert with exemplars; the trained gate: those it was fit on)
 * @param temperature the softmax temperature over cosine similarities (lower is sharper), above 0; the similarity
 *                    gate's only (the trained gate's softmax is fit)
 * @param topK        how many experts a call mixes: 1 routes to one adapter, 2 or more mix their updates in one
 *                    forward pass with the renormalised gate weights
 * @param kind        which gate: the trained one kept beside the adapters, the similarity gate, or the trained one
 *                    when there is one ({@link Kind#AUTO})
 * @param layers      the similarity gate's state: the base model's mean-pooled output after this many decoder
 *                    layers, 0 (the token embeddings, computed without PyTorch) up to the model's layers; the trained
 *                    gate reads the layer it was fit on; -1 for the model's last layer
 */
public record GateOptions(List<String> experts, double temperature, int topK, Kind kind, int layers) {

    /** The default temperature: cosines of mean-pooled states differ by a few hundredths between tasks. */
    public static final double DEFAULT_TEMPERATURE = 0.02;

    /** At most this many experts are mixed in one call. */
    public static final int MAX_TOP_K = 8;

    /**
     * The similarity gate's default state: the embeddings. On the default model they route the bank's tasks at
     * least as well as the last layer's states (docs/experts.md) for a fraction of the cost.
     */
    public static final int DEFAULT_LAYERS = 0;

    /** Which gate routes. */
    public enum Kind {
        /** The trained gate when the adapters have one ({@code gate.json}) covering the experts, else the similarity gate. */
        AUTO,
        /** Cosine similarity to each expert's exemplar centroid, tempered softmax. */
        SIMILARITY,
        /** The softmax regression kept beside the adapters ({@code gate.json}). */
        TRAINED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException naming the kinds when {@code text} is none of them */
        public static Kind parse(String text) {
            for (Kind kind : values()) {
                if (kind.label().equalsIgnoreCase(text.trim())) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("the gate is '" + text + "'; expected auto, similarity or trained");
        }
    }

    /** @throws IllegalArgumentException naming the setting that is out of range */
    public GateOptions {
        experts = List.copyOf(experts == null ? List.of() : experts);
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("the gate's temperature must be a positive number, got " + temperature);
        }
        if (topK < 1 || topK > MAX_TOP_K) {
            throw new IllegalArgumentException("the gate's top-k must be between 1 and " + MAX_TOP_K + ", got " + topK);
        }
        if (kind == null) {
            throw new IllegalArgumentException("the gate's kind is missing; expected auto, similarity or trained");
        }
        if (layers < -1) {
            throw new IllegalArgumentException("the gate's layers must be 0 or more (or -1 for the last), got " + layers);
        }
    }

    /** The automatic gate over the given experts, state after {@value #DEFAULT_LAYERS} layers. */
    public GateOptions(List<String> experts, double temperature, int topK) {
        this(experts, temperature, topK, Kind.AUTO, DEFAULT_LAYERS);
    }

    /** Every expert, the automatic gate, temperature {@value #DEFAULT_TEMPERATURE}, top-1. */
    public static GateOptions defaults() {
        return new GateOptions(List.of(), DEFAULT_TEMPERATURE, 1);
    }

    public GateOptions withTopK(int k) {
        return new GateOptions(experts, temperature, k, kind, layers);
    }

    public GateOptions withTemperature(double value) {
        return new GateOptions(experts, value, topK, kind, layers);
    }

    public GateOptions withExperts(List<String> names) {
        return new GateOptions(names, temperature, topK, kind, layers);
    }

    public GateOptions withKind(Kind value) {
        return new GateOptions(experts, temperature, topK, value, layers);
    }

    public GateOptions withLayers(int value) {
        return new GateOptions(experts, temperature, topK, kind, value);
    }
}
