// The key/value cache of one generation call: preallocated per layer and filled in place.
package io.synod.solvers.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of every layer for a batch, {@code [batch, kvHeads, capacity, headDim]}, allocated
 * once per call so that a decode step writes one slot and reads a view, never copying the prefix.
 * Rows of a batch share one length (prompts are left-padded).
 */
final class KvCache {
    private final NDArray[] keys;
    private final NDArray[] values;
    private final int capacity;
    private int length;

    KvCache(ModelConfig config, int batch, int capacity, NDManager manager, DataType dataType) {
        this.capacity = capacity;
        Shape shape = new Shape(batch, config.keyValueHeads(), capacity, config.headDimension());
        keys = new NDArray[config.layers()];
        values = new NDArray[config.layers()];
        for (int layer = 0; layer < config.layers(); layer++) {
            keys[layer] = manager.zeros(shape, dataType);
            values[layer] = manager.zeros(shape, dataType);
        }
    }

    private KvCache(NDArray[] keys, NDArray[] values, int capacity, int length) {
        this.keys = keys;
        this.values = values;
        this.capacity = capacity;
        this.length = length;
    }

    /** This one-row cache repeated for {@code batch} rows (copies in {@code manager}), for rows sharing a prefix. */
    KvCache repeated(int batch, NDManager manager) {
        NDArray[] repeatedKeys = new NDArray[keys.length];
        NDArray[] repeatedValues = new NDArray[values.length];
        for (int layer = 0; layer < keys.length; layer++) {
            repeatedKeys[layer] = keys[layer].repeat(0, batch);
            repeatedValues[layer] = values[layer].repeat(0, batch);
            repeatedKeys[layer].attach(manager);
            repeatedValues[layer].attach(manager);
        }
        return new KvCache(repeatedKeys, repeatedValues, capacity, length);
    }

    int length() {
        return length;
    }

    int capacity() {
        return capacity;
    }

    int layers() {
        return keys.length;
    }

    /** The whole key array of a layer, {@code [batch, kvHeads, capacity, headDim]}, filled up to {@link #length()}. */
    NDArray keysOfLayer(int layer) {
        return keys[layer];
    }

    NDArray valuesOfLayer(int layer) {
        return values[layer];
    }

    /** Stores {@code [batch, kvHeads, steps, headDim]} keys and values at the current end of the cache. */
    void append(int layer, NDArray newKeys, NDArray newValues) {
        long steps = newKeys.getShape().get(2);
        if (length + steps > capacity) {
            throw new IllegalStateException("KV cache full: " + length + " + " + steps + " > " + capacity);
        }
        NDIndex slots = new NDIndex(":, :, {}:{}", length, length + steps);
        keys[layer].set(slots, newKeys);
        values[layer].set(slots, newValues);
    }

    /** Keys of a layer up to and including the slots just appended: a view, {@code [batch, kvHeads, length + steps, headDim]}. */
    NDArray keys(int layer, long steps) {
        return keys[layer].get(new NDIndex(":, :, :{}", length + steps));
    }

    NDArray values(int layer, long steps) {
        return values[layer].get(new NDIndex(":, :, :{}", length + steps));
    }

    /** Marks the appended slots as filled, after every layer has appended. */
    void advance(long steps) {
        length += (int) steps;
    }
}
