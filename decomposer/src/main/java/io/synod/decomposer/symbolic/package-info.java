/**
 * Symbolic handlers for program steps: count, compare, calc, union and intersect. They parse their
 * input strictly and fail with a message naming the input and the expected form.
 */
package io.synod.decomposer.symbolic;
