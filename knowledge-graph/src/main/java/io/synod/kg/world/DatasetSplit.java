// The three parts of the question set.
package io.synod.kg.world;

import java.util.Locale;

enum DatasetSplit {
    TRAIN, DEV, TEST;

    String fileName() {
        return name().toLowerCase(Locale.ROOT) + ".jsonl";
    }
}
