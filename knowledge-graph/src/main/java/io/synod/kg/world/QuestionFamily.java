// One kind of question (e.g. "capital of a country"): its phrasings and the candidate questions drawn from the graph.
package io.synod.kg.world;

import java.util.List;
import java.util.Map;

/**
 * A family of questions that share a reasoning pattern.
 *
 * @param name the family's name, e.g. "capital" or "city-border-language"
 * @param hops how many graph edges separate the topic entity from the answer (comparisons, counts and yes/no
 *             questions count the edges followed from each entity)
 * @param phrasings question templates with slots {x}, {y}, {ax} ("a dog") and {Ax} ("A dog"); the last one is
 *                  held out of train
 * @param limit the most questions kept after a seeded shuffle, or {@link Integer#MAX_VALUE}
 * @param candidates every question the graph supports for this family, in a deterministic order
 */
record QuestionFamily(String name, int hops, List<String> phrasings, int limit, List<Candidate> candidates) {

    static final int PHRASINGS_PER_FAMILY = 4;

    QuestionFamily {
        if (phrasings.size() != PHRASINGS_PER_FAMILY) {
            throw new IllegalArgumentException(name + ": expected " + PHRASINGS_PER_FAMILY + " phrasings, got " + phrasings.size());
        }
        phrasings = List.copyOf(phrasings);
        candidates = List.copyOf(candidates);
    }

    /** The phrasing that appears only in dev and test, to measure robustness to unseen wording. */
    int heldOutPhrasing() {
        return PHRASINGS_PER_FAMILY - 1;
    }

    /**
     * One question before it is phrased.
     *
     * @param key unique within the family, e.g. "country/TGO" or "country/TGO:country/BEN"
     * @param anchor the node whose split the question takes
     * @param topic the node the question starts from
     * @param slots the text for {x}, {y}, {ax}, {Ax}
     * @param path the relation path from the topic, inverse steps written "-of"
     * @param answers every acceptable answer string
     * @param gold the IRIs of the answer nodes (empty for yes/no and count questions)
     */
    record Candidate(String key, String anchor, String topic, Map<String, String> slots, String path,
                     List<String> answers, List<String> gold) {

        Candidate {
            slots = Map.copyOf(slots);
            answers = List.copyOf(answers);
            gold = List.copyOf(gold);
        }
    }
}
