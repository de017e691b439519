// Creates the solvers of a pool.
package io.synod.actors.solver;

import io.synod.kg.KnowledgeGraph;

/**
 * Creates one solver (one loaded model) for the pool, once the graph is loaded. Called on the blocking
 * dispatcher, once per solver actor (a restart keeps the solver it has). The shipped pipeline uses
 * {@link ReasonerSolver#factory}; tests inject their own.
 */
@FunctionalInterface
public interface SolverFactory {

    /**
     * @param graph the loaded graph, shared by every solver (safe for concurrent readers)
     * @throws RuntimeException when the model cannot be loaded; the solver then never starts
     */
    Solver create(KnowledgeGraph graph);
}
