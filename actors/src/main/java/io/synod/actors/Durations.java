// Durations as people write them, for messages.
package io.synod.actors;

import java.math.BigDecimal;
import java.time.Duration;

/** Writes durations as {@code 250 ms}, {@code 1.5 s} or {@code 2 min} in messages (not {@code PT1.5S}). */
public final class Durations {

    private Durations() {
    }

    public static String words(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + " min";
        }
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + " s";
    }
}
