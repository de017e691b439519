/**
 * Decomposed Prompting programs (parser, executor, handler registry) and the DaSLaM loop. Builds on solvers.
 */
package io.synod.decomposer;
