/**
 * DecomP programs (Khot et al. 2022, allenai/DecomP) in this project's dialect: the program and step
 * records, {@link io.synod.decomposer.program.ProgramParser}, the handler contract and registry, and
 * {@link io.synod.decomposer.program.ProgramExecutor}, which runs a fixed program or one proposed step
 * by step by a {@link io.synod.decomposer.program.StepSource}. Plain synchronous Java.
 */
package io.synod.decomposer.program;
