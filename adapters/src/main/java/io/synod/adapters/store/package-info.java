/**
 * The adapter store: a catalogue of LoRA adapters on disk (and registered in memory), of which a solver
 * keeps a few resident within a byte budget, evicting the least recently used and never the pinned or
 * leased. See {@link io.synod.adapters.store.AdapterStore} for the loading, eviction and locking contract.
 */
package io.synod.adapters.store;
