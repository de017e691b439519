/**
 * Where the triples live ({@link io.synod.kg.store.MemoryStore}, {@link io.synod.kg.store.Tdb2Store}) and
 * the index file persisted next to a TDB2 store ({@link io.synod.kg.store.IndexFile}). Internal to the
 * knowledge-graph module.
 */
package io.synod.kg.store;
