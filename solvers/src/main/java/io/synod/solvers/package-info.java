/**
 * The model runtime on DJL/PyTorch and the solvers (LM solver, knowledge solver, symbolic handlers). Builds on adapters and knowledge-graph; NDArrays never leave this module.
 */
package io.synod.solvers;
