// The similarity gate's arithmetic: centroids of exemplar embeddings, cosine similarity, a tempered softmax and
// top-k with the kept weights renormalised.
package io.synod.adapters.experts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The router's gate over experts: {@code g = softmax(cos(h, c_i) / T)} over the candidates' centroids
 * {@code c_i}, then the {@code k} largest kept and renormalised to sum to 1 (as in top-k MoE gating). Plain
 * arrays, no state; the embeddings come from the model (the base model's mean-pooled last hidden state).
 */
public final class Gating {

    /** An expert's share of the gate. */
    public record Weight(String expert, double weight) {
    }

    private Gating() {
    }

    /**
     * The centroid of a set of embeddings: the mean of their unit-length versions (so that no exemplar counts
     * more for being long), itself not normalised.
     *
     * @throws IllegalArgumentException when there are none or their lengths differ
     */
    public static float[] centroid(List<float[]> embeddings) {
        if (embeddings.isEmpty()) {
            throw new IllegalArgumentException("a centroid needs at least one embedding");
        }
        int size = embeddings.get(0).length;
        double[] sum = new double[size];
        for (float[] embedding : embeddings) {
            if (embedding.length != size) {
                throw new IllegalArgumentException("embeddings of lengths " + size + " and " + embedding.length);
            }
            double norm = norm(embedding);
            for (int i = 0; i < size; i++) {
                sum[i] += norm == 0 ? 0 : embedding[i] / norm;
            }
        }
        float[] centroid = new float[size];
        for (int i = 0; i < size; i++) {
            centroid[i] = (float) (sum[i] / embeddings.size());
        }
        return centroid;
    }

    /** cos(a, b); 0 when either is zero. */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of lengths " + a.length + " and " + b.length);
        }
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        double norms = norm(a) * norm(b);
        return norms == 0 ? 0 : dot / norms;
    }

    /**
     * {@code softmax(scores / temperature)}, computed stably.
     *
     * @throws IllegalArgumentException when the temperature is not positive or there are no scores
     */
    public static double[] softmax(double[] scores, double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("the gate's temperature must be a positive number, got " + temperature);
        }
        if (scores.length == 0) {
            throw new IllegalArgumentException("a softmax needs at least one score");
        }
        double max = Arrays.stream(scores).max().orElseThrow();
        double[] result = new double[scores.length];
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            result[i] = Math.exp((scores[i] - max) / temperature);
            sum += result[i];
        }
        for (int i = 0; i < scores.length; i++) {
            result[i] /= sum;
        }
        return result;
    }

    /**
     * The gate for an embedding: every candidate's probability, largest first (ties by name).
     *
     * @param names     the candidates, in the order of {@code centroids}
     * @param centroids one per candidate
     */
    public static List<Weight> probabilities(float[] embedding, List<String> names, List<float[]> centroids,
                                             double temperature) {
        if (names.size() != centroids.size()) {
            throw new IllegalArgumentException(names.size() + " names but " + centroids.size() + " centroids");
        }
        double[] scores = new double[names.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = cosine(embedding, centroids.get(i));
        }
        double[] probabilities = softmax(scores, temperature);
        List<Weight> weights = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            weights.add(new Weight(names.get(i), probabilities[i]));
        }
        weights.sort(Comparator.comparingDouble(Weight::weight).reversed().thenComparing(Weight::expert));
        return List.copyOf(weights);
    }

    /**
     * The first {@code k} of {@code sorted} (largest first), renormalised to sum to 1.
     *
     * @throws IllegalArgumentException when k is not positive
     */
    public static List<Weight> topK(List<Weight> sorted, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("top-k needs k >= 1, got " + k);
        }
        List<Weight> kept = sorted.subList(0, Math.min(k, sorted.size()));
        double sum = kept.stream().mapToDouble(Weight::weight).sum();
        List<Weight> result = new ArrayList<>();
        for (Weight weight : kept) {
            result.add(new Weight(weight.expert(), sum > 0 ? weight.weight() / sum : 1.0 / kept.size()));
        }
        return List.copyOf(result);
    }

    private static double norm(float[] vector) {
        double sum = 0;
        for (float value : vector) {
            sum += (double) value * value;
        }
        return Math.sqrt(sum);
    }
}
