/**
 * Synod on Apache Pekko typed actors, and the embedded Java API ({@link io.synod.actors.Synod}). The actors live
 * in one package per concern: {@code session} (a session per question), {@code decomposer}, {@code routing}
 * (the expert router), {@code solver} (the pool of solver actors), {@code knowledge} (graph look-ups) and
 * {@code adapters} (the adapter manager). docs/actors.md describes them.
 */
package io.synod.actors;
