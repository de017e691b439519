// An open-addressing map from long keys to int values (trigram codes to trigram ids).
package io.synod.kg.linking;

import java.util.Arrays;

/** Linear-probing hash map long -> int; -1 means absent. Not thread-safe while it grows; read-only afterwards. */
final class LongIntMap {

    private static final long EMPTY = Long.MIN_VALUE;

    private long[] keys;
    private int[] values;
    private int size;

    LongIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
        keys = new long[capacity];
        values = new int[capacity];
        Arrays.fill(keys, EMPTY);
    }

    int get(long key) {
        int mask = keys.length - 1;
        int slot = mix(key) & mask;
        while (true) {
            long present = keys[slot];
            if (present == key) {
                return values[slot];
            }
            if (present == EMPTY) {
                return -1;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** The value for {@code key}, storing {@code valueIfAbsent} first when the key is new. */
    int getOrPut(long key, int valueIfAbsent) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int slot = mix(key) & mask;
        while (true) {
            long present = keys[slot];
            if (present == key) {
                return values[slot];
            }
            if (present == EMPTY) {
                keys[slot] = key;
                values[slot] = valueIfAbsent;
                size++;
                return valueIfAbsent;
            }
            slot = (slot + 1) & mask;
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldValues.length * 2];
        Arrays.fill(keys, EMPTY);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                getOrPut(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
