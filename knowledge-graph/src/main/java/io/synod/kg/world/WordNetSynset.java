// One synset (a set of synonymous words with one meaning) from a WordNet data file.
package io.synod.kg.world;

import java.util.List;

/**
 * A synset line of a WordNet {@code data.*} file.
 *
 * @param offset the 8-digit byte offset that identifies the synset within its file
 * @param partOfSpeech n, v, a, s or r
 * @param lemmas the words, spaces for underscores and adjective markers removed, in file order
 * @param pointers the relations to other synsets
 * @param gloss the definition and examples
 */
record WordNetSynset(String offset, char partOfSpeech, List<String> lemmas, List<Pointer> pointers, String gloss) {

    WordNetSynset {
        lemmas = List.copyOf(lemmas);
        pointers = List.copyOf(pointers);
    }

    /**
     * A pointer: {@code symbol} is WordNet's pointer symbol ("@" hypernym, "@i" instance hypernym,
     * "#p" part holonym, ...); {@code sourceTarget} is "0000" for a relation between whole synsets.
     */
    record Pointer(String symbol, String targetOffset, char targetPartOfSpeech, String sourceTarget) {

        boolean isSemantic() {
            return sourceTarget.equals("0000");
        }
    }
}
