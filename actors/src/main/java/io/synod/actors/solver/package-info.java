/** The solver pool and its supervised solver actors, each owning one loaded model, on the blocking dispatcher. */
package io.synod.actors.solver;
