/**
 * Experts: an adapter plus its {@link io.synod.adapters.experts.ExpertCard} (metadata and exemplars, kept as
 * {@code expert.json} in the adapter's directory), and the arithmetic of choosing among them with no model in
 * sight: {@link io.synod.adapters.experts.KShotSelection} (rank by K-shot exact match and perplexity, keep the
 * top M, prefer the most diverse group of N), {@link io.synod.adapters.experts.AdapterSimilarity} (the cosine of
 * two adapters' weight updates) and {@link io.synod.adapters.experts.Gating} (the router's centroid, cosine,
 * tempered softmax and top-k). K-shot examples are read by {@link io.synod.adapters.experts.KShotExamples}.
 */
package io.synod.adapters.experts;
