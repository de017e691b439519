// A snapshot of the figures an HTTP front end exports as metrics.
package io.synod.actors;

/**
 * What this Synod has done since it started ({@code asked} to {@code solverFailures} only grow) and what it
 * holds now (the gauges). {@code asked} counts every question, refused or not; {@code refused} those turned
 * away at once (too many in flight, the solver queue full, shutting down); {@code answered} and {@code failed}
 * those that got their one reply as an answer or as an error (invalid, deadline, solver failure). So
 * {@code asked = answered + failed + refused + sessionsInFlight}, give or take a question in passage. Immutable.
 *
 * @param asked            questions asked
 * @param answered         questions answered
 * @param failed           questions answered with an error
 * @param refused          questions refused at once (overloaded or shutting down)
 * @param sessionsInFlight questions being answered now (planned, queued or running)
 * @param queueDepth       questions waiting for a free solver
 * @param residentAdapters adapters resident in the solvers' models
 * @param modelCalls       model calls made by the solvers
 * @param solverFailures   questions during which a solver threw (each followed by a restart)
 */
public record Counters(long asked, long answered, long failed, long refused, int sessionsInFlight, int queueDepth,
                       int residentAdapters, long modelCalls, long solverFailures) {
}
