// The trained gate's arithmetic: multinomial logistic (softmax) regression from an embedding to the experts,
// fit by full-batch gradient descent on labelled embeddings.
package io.synod.adapters.experts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A trained gate: {@code g = softmax(W z + b)} with {@code z} the embedding standardised with the training set's
 * per-dimension mean and standard deviation. Fit ({@link #fit}) by minimising the mean cross-entropy of the labels
 * plus {@code l2 / 2 * |W|^2}, full-batch gradient descent from zero weights: deterministic, no random state. It is
 * the paper's trained router (Yang et al. 2024 fit the gate on the K-shot data augmented with similar open data)
 * reduced to its classifier: each example's label is the expert trained for it.
 *
 * <p>A gate is kept beside the experts it routes among, as {@value #FILE} in the adapter catalogue, with the
 * layer of the base model whose states it was fit on ({@link #layers}) and what it was fit on, in words.
 *
 * <p>Immutable and thread-safe.
 */
public final class LinearGate {

    /** The file a catalogue's trained gate is kept in. */
    public static final String FILE = "gate.json";


    private final List<String> experts;
    private final float[] mean;
    private final float[] scale;
    private final float[][] weights;
    private final float[] bias;
    private final int layers;
    private final String pooling;
    private final String trainedOn;

    private LinearGate(List<String> experts, float[] mean, float[] scale, float[][] weights, float[] bias, int layers,
                       String pooling, String trainedOn) {
        this.experts = experts;
        this.mean = mean;
        this.scale = scale;
        this.weights = weights;
        this.bias = bias;
        this.layers = layers;
        this.pooling = pooling;
        this.trainedOn = trainedOn;
    }

    /** A labelled embedding: {@code expert} is the one trained for the input the embedding is of. */
    public record Example(float[] embedding, String expert) {
    }

    /**
     * Fits a gate over {@code experts} on {@code examples}.
     *
     * @param l2         the weight decay (0.01 to 1 are sensible for a few hundred examples of a few hundred
     *                   dimensions)
     * @param iterations gradient steps
     * @throws IllegalArgumentException when there are no experts or examples, an example names an expert not
     *                                  among them, or the embeddings' lengths differ
     */
    public static LinearGate fit(List<String> experts, List<Example> examples, double l2, int iterations) {
        if (experts.isEmpty()) {
            throw new IllegalArgumentException("a gate needs at least one expert");
        }
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("a gate needs at least one example to fit");
        }
        if (!(l2 >= 0) || iterations < 1) {
            throw new IllegalArgumentException("l2 " + l2 + " and iterations " + iterations + ": expected l2 >= 0 and"
                    + " at least one iteration");
        }
        int size = examples.get(0).embedding().length;
        int classes = experts.size();
        int count = examples.size();
        int[] labels = new int[count];
        for (int n = 0; n < count; n++) {
            Example example = examples.get(n);
            if (example.embedding().length != size) {
                throw new IllegalArgumentException("embeddings of lengths " + size + " and " + example.embedding().length);
            }
            labels[n] = experts.indexOf(example.expert());
            if (labels[n] < 0) {
                throw new IllegalArgumentException("example " + n + " is labelled " + example.expert()
                        + ", not one of the gate's experts " + experts);
            }
        }
        float[] mean = new float[size];
        float[] scale = new float[size];
        for (int i = 0; i < size; i++) {
            double sum = 0;
            for (Example example : examples) {
                sum += example.embedding()[i];
            }
            double average = sum / count;
            double squares = 0;
            for (Example example : examples) {
                double centred = example.embedding()[i] - average;
                squares += centred * centred;
            }
            double deviation = Math.sqrt(squares / count);
            mean[i] = (float) average;
            scale[i] = (float) (deviation > 1e-6 ? 1 / deviation : 0);
        }
        double[][] inputs = new double[count][];
        for (int n = 0; n < count; n++) {
            inputs[n] = standardise(examples.get(n).embedding(), mean, scale);
        }
        double[][] w = new double[classes][size];
        double[] b = new double[classes];
        // the loss is smooth with curvature at most 1/2 |z|^2 + l2 (|z|^2 about `size` after standardising)
        double rate = 1.0 / (0.5 * size + l2 + 1);
        double[][] gradient = new double[classes][size];
        double[] biasGradient = new double[classes];
        double[] probabilities = new double[classes];
        for (int step = 0; step < iterations; step++) {
            for (double[] row : gradient) {
                Arrays.fill(row, 0);
            }
            Arrays.fill(biasGradient, 0);
            for (int n = 0; n < count; n++) {
                softmax(w, b, inputs[n], probabilities);
                for (int c = 0; c < classes; c++) {
                    double error = probabilities[c] - (labels[n] == c ? 1 : 0);
                    biasGradient[c] += error;
                    double[] row = gradient[c];
                    double[] input = inputs[n];
                    for (int i = 0; i < size; i++) {
                        row[i] += error * input[i];
                    }
                }
            }
            for (int c = 0; c < classes; c++) {
                for (int i = 0; i < size; i++) {
                    w[c][i] -= rate * (gradient[c][i] / count + l2 * w[c][i]);
                }
                b[c] -= rate * biasGradient[c] / count;
            }
        }
        float[][] weights = new float[classes][size];
        float[] bias = new float[classes];
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < size; i++) {
                weights[c][i] = (float) w[c][i];
            }
            bias[c] = (float) b[c];
        }
        return new LinearGate(List.copyOf(experts), mean, scale, weights, bias, 0, "mean", "");
    }

    /**
     * This gate, recording that its embeddings are the base model's states after {@code layers} decoder layers,
     * pooled over the tokens as {@code pooling} names it (the model's name for it, such as {@code mean}), and what it
     * was fit on.
     */
    public LinearGate describedAs(int layers, String pooling, String trainedOn) {
        if (layers < 0) {
            throw new IllegalArgumentException("layers must be 0 or more, got " + layers);
        }
        if (pooling == null || pooling.isBlank()) {
            throw new IllegalArgumentException("the gate's pooling is missing");
        }
        return new LinearGate(experts, mean, scale, weights, bias, layers, pooling, trainedOn == null ? "" : trainedOn);
    }

    /** The experts, in the order of the gate's outputs. */
    public List<String> experts() {
        return experts;
    }

    /** The decoder layers of the base model whose (mean-pooled, normalised) output the gate reads; 0: the embeddings. */
    public int layers() {
        return layers;
    }

    /** How the states of a prompt's tokens become the embedding (the model's name for it; {@code mean} by default). */
    public String pooling() {
        return pooling;
    }

    /** What the gate was fit on, in words. */
    public String trainedOn() {
        return trainedOn;
    }

    /** The length of the embeddings the gate reads. */
    public int size() {
        return mean.length;
    }

    /** Writes the gate into {@code directory} as {@value #FILE}. */
    public void write(Path directory) {
        ObjectNode root = JsonFiles.MAPPER.createObjectNode();
        root.put("gate", "softmax(W ((h - mean) * scale) + bias) over the experts, h the base model's state after"
                + " `layers` decoder layers, pooled over the prompt's tokens as `pooling` says");
        ArrayNode names = root.putArray("experts");
        experts.forEach(names::add);
        root.put("layers", layers);
        root.put("pooling", pooling);
        root.put("trained_on", trainedOn);
        putFloats(root.putArray("mean"), mean);
        putFloats(root.putArray("scale"), scale);
        ArrayNode rows = root.putArray("weights");
        for (float[] row : weights) {
            putFloats(rows.addArray(), row);
        }
        putFloats(root.putArray("bias"), bias);
        JsonFiles.write(directory.resolve(FILE), root);
    }

    /**
     * The gate in {@code directory}, or empty when it has no {@value #FILE}.
     *
     * @throws IllegalArgumentException naming the file and the field when the gate is malformed
     */
    public static Optional<LinearGate> read(Path directory) {
        Path file = directory.resolve(FILE);
        Optional<JsonNode> read = JsonFiles.read(file);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        JsonNode root = read.get();
        String expected = "expected a JSON object with experts, layers, trained_on, mean, scale, weights and bias";
        if (!root.isObject() || !root.path("experts").isArray() || root.path("experts").isEmpty()
                || !root.path("layers").canConvertToInt() || root.path("layers").asInt() < 0) {
            throw new IllegalArgumentException(file + ": " + expected);
        }
        List<String> experts = new ArrayList<>();
        for (JsonNode name : root.get("experts")) {
            if (!name.isTextual() || name.asText().isEmpty()) {
                throw new IllegalArgumentException(file + ": \"experts\" must be a list of names");
            }
            experts.add(name.asText());
        }
        float[] mean = floats(root.path("mean"), -1, file, "mean");
        float[] scale = floats(root.path("scale"), mean.length, file, "scale");
        JsonNode rows = root.path("weights");
        if (!rows.isArray() || rows.size() != experts.size()) {
            throw new IllegalArgumentException(file + ": \"weights\" must hold one row per expert (" + experts.size() + ")");
        }
        float[][] weights = new float[experts.size()][];
        for (int c = 0; c < weights.length; c++) {
            weights[c] = floats(rows.get(c), mean.length, file, "weights[" + c + "]");
        }
        float[] bias = floats(root.path("bias"), experts.size(), file, "bias");
        return Optional.of(new LinearGate(List.copyOf(experts), mean, scale, weights, bias, root.get("layers").asInt(),
                root.path("pooling").asText("mean"), root.path("trained_on").asText("")));
    }

    private static void putFloats(ArrayNode array, float[] values) {
        for (float value : values) {
            array.add(value);
        }
    }

    private static float[] floats(JsonNode node, int length, Path file, String field) {
        if (!node.isArray() || node.isEmpty() || length >= 0 && node.size() != length) {
            throw new IllegalArgumentException(file + ": \"" + field + "\" must be a list of "
                    + (length >= 0 ? length + " " : "") + "numbers");
        }
        float[] values = new float[node.size()];
        for (int i = 0; i < values.length; i++) {
            if (!node.get(i).isNumber()) {
                throw new IllegalArgumentException(file + ": \"" + field + "\" element " + i + " is not a number");
            }
            values[i] = node.get(i).floatValue();
        }
        return values;
    }

    /**
     * The gate for an embedding: every expert's probability, largest first (ties by name), the shape
     * {@link Gating#probabilities} gives, for {@link Gating#topK}.
     *
     * @throws IllegalArgumentException when the embedding's length is not the one the gate was fit on
     */
    public List<Gating.Weight> probabilities(float[] embedding) {
        if (embedding.length != mean.length) {
            throw new IllegalArgumentException("an embedding of length " + embedding.length + "; the gate was fit on "
                    + mean.length);
        }
        double[] input = standardise(embedding, mean, scale);
        double[] logits = new double[experts.size()];
        for (int c = 0; c < logits.length; c++) {
            double logit = bias[c];
            for (int i = 0; i < input.length; i++) {
                logit += weights[c][i] * input[i];
            }
            logits[c] = logit;
        }
        double[] w = Gating.softmax(logits, 1);
        List<Gating.Weight> result = new ArrayList<>();
        for (int c = 0; c < w.length; c++) {
            result.add(new Gating.Weight(experts.get(c), w[c]));
        }
        result.sort(Comparator.comparingDouble(Gating.Weight::weight).reversed().thenComparing(Gating.Weight::expert));
        return List.copyOf(result);
    }

    /** The share of {@code examples} whose most probable expert is their label. */
    public double accuracy(List<Example> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("accuracy over no examples");
        }
        long right = examples.stream()
                .filter(example -> probabilities(example.embedding()).get(0).expert().equals(example.expert())).count();
        return (double) right / examples.size();
    }

    private static double[] standardise(float[] embedding, float[] mean, float[] scale) {
        double[] result = new double[embedding.length];
        for (int i = 0; i < embedding.length; i++) {
            result[i] = (embedding[i] - mean[i]) * scale[i];
        }
        return result;
    }

    private static void softmax(double[][] w, double[] b, double[] input, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < out.length; c++) {
            double logit = b[c];
            double[] row = w[c];
            for (int i = 0; i < input.length; i++) {
                logit += row[i] * input[i];
            }
            out[c] = logit;
            max = Math.max(max, logit);
        }
        double sum = 0;
        for (int c = 0; c < out.length; c++) {
            out[c] = Math.exp(out[c] - max);
            sum += out[c];
        }
        for (int c = 0; c < out.length; c++) {
            out[c] /= sum;
        }
    }
}
