/**
 * Decomposed Prompting: programs, parser and executor ({@code program}), symbolic handlers
 * ({@code symbolic}), prompt libraries ({@code prompts}); the DaSLaM loop. Builds on solvers.
 */
package io.synod.decomposer;
