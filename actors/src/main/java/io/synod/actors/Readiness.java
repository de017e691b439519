// Whether Synod can answer: the graph loaded and every solver's model loaded.
package io.synod.actors;

/**
 * Loading progress. Ready when the graph is loaded and every solver of the pool has loaded its model and no
 * loading failed; {@code failure} says what failed to load ({@code null} when nothing did). Immutable.
 *
 * @param graphLoaded  the knowledge graph is loaded
 * @param solversReady solvers whose model is loaded and that are running (in a cluster, those of other nodes too)
 * @param solvers      solvers needed: the pool's size, or 1 on the front of a cluster
 * @param failure      what failed to load, or {@code null}
 */
public record Readiness(boolean graphLoaded, int solversReady, int solvers, String failure) {

    public boolean ready() {
        return graphLoaded && solversReady >= solvers && failure == null;
    }
}
