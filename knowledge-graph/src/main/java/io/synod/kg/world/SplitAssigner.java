// Assigns every anchor entity (country, currency, synset) to train, dev or test, deterministically from a seed.
package io.synod.kg.world;

import io.synod.kg.world.WorldVocabulary.WorldClass;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Splits by entity, not by question: the nodes of each anchor class are sorted by IRI, shuffled with
 * {@code new Random(seed + class ordinal)} and cut 70/15/15. Every question has one anchor (a country for
 * geography questions, also those that start from a city; a currency; a synset), and takes its anchor's split,
 * so all questions about a test country are in test.
 */
final class SplitAssigner {

    static final double TRAIN_SHARE = 0.70;
    static final double DEV_SHARE = 0.15;

    private final Map<String, DatasetSplit> splits = new HashMap<>();

    SplitAssigner(WorldIndex index, long seed) {
        for (WorldClass anchorClass : List.of(WorldClass.COUNTRY, WorldClass.CURRENCY, WorldClass.SYNSET)) {
            List<String> nodes = new ArrayList<>(index.nodes(anchorClass));
            Collections.shuffle(nodes, new Random(seed + anchorClass.ordinal()));
            int trainEnd = (int) Math.round(nodes.size() * TRAIN_SHARE);
            int devEnd = (int) Math.round(nodes.size() * (TRAIN_SHARE + DEV_SHARE));
            for (int position = 0; position < nodes.size(); position++) {
                DatasetSplit split = position < trainEnd ? DatasetSplit.TRAIN
                        : position < devEnd ? DatasetSplit.DEV : DatasetSplit.TEST;
                splits.put(nodes.get(position), split);
            }
        }
    }

    /** The split of an anchor node. */
    DatasetSplit splitOf(String anchorIri) {
        DatasetSplit split = splits.get(anchorIri);
        if (split == null) {
            throw new IllegalArgumentException("not an anchor node (country, currency or synset): " + anchorIri);
        }
        return split;
    }
}
