/**
 * Reading graph sources (Turtle, N-Triples, TSV; optionally gzipped) into streams of triples, with every
 * syntax error turned into a {@link io.synod.kg.GraphLoadException} that names file, line and column.
 * Internal to the knowledge-graph module; the TSV format is described in
 * {@link io.synod.kg.load.TsvTriplesParser}.
 */
package io.synod.kg.load;
