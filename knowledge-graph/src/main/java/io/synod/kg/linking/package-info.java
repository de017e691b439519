/**
 * Entity linking without RDF: labels and aliases normalised by {@link io.synod.kg.linking.TextNormalizer},
 * exact and fuzzy look-up and the mention scanner in {@link io.synod.kg.linking.LinkingIndex}. Internal to
 * the knowledge-graph module; other modules go through {@link io.synod.kg.KnowledgeGraph}.
 */
package io.synod.kg.linking;
