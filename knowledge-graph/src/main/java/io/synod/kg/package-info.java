/**
 * The knowledge graph of Synod: Apache Jena in memory or TDB2 on disk, loaders for Turtle, N-Triples
 * and TSV, entity linking, neighbourhoods, relation paths, path search and SPARQL.
 *
 * <p>The API is {@link io.synod.kg.KnowledgeGraph} and {@link io.synod.kg.GraphLoadException}; only
 * records, enums and strings cross it. The sub-packages {@code linking}, {@code load} and {@code store}
 * are the implementation: public only so that this package can use them, not for other modules.
 * ({@code world} builds the bundled world graph from the source data.)
 */
package io.synod.kg;
