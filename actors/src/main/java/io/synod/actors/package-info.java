/**
 * The Pekko typed actors (sessions, decomposer, solver pools, router, adapter manager) and the embedded API. Builds on decomposer.
 */
package io.synod.actors;
