/**
 * Experts on a model: the similarity gate that routes a sub-question's prompt to an expert or a top-k mixture
 * ({@link io.synod.solvers.experts.ExpertGate}, {@link io.synod.solvers.experts.GateOptions},
 * {@link io.synod.solvers.experts.GateDecision}), and K-shot expert selection, which measures candidates on labelled
 * examples and hands the figures to {@link io.synod.adapters.experts.KShotSelection}
 * ({@link io.synod.solvers.experts.ExpertSelector}). The arithmetic of both lives in {@code io.synod.adapters.experts}.
 */
package io.synod.solvers.experts;
