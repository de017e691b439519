// The low-rank updates of one batched call: every row's adapters applied in one pass per projection.
package io.synod.solvers.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies each row's {@link AdapterMix} to the projections of a forward pass, unmerged:
 * {@code y = x W^T + sum_i g_i s_i (x A_i^T) B_i^T}.
 *
 * <p>When every row applies the same mix, the update is two products shared by the batch. When rows
 * differ, each row's factors are gathered into stacked tensors {@code A [B, R, in]} and
 * {@code B [B, out, R]} (ranks zero-padded to the largest R, rows without adapters all zero), and the
 * update is two batched products for the whole batch, as S-LoRA and Punica do, never a loop over adapters.
 * A mixture is the concatenation of its parts along the rank, with the gate weights folded into B.
 * Gathered tensors are built once per call (on first use) and reused by every decode step.
 */
public final class LoraBatch implements LowRankUpdate {
    private final List<AdapterMix> rows;
    private final NDManager call;
    private final boolean shared;
    private final Map<Integer, Map<Projection, Gathered>> gathered = new HashMap<>();

    /** The factors the batch applies to one projection; null fields mean "nothing to add". */
    private record Gathered(NDArray down, NDArray up) {
    }

    private static final Gathered NOTHING = new Gathered(null, null);
    private static final float[][] NO_ARRAYS = new float[0][];
    private final Map<Integer, Map<Projection, float[][]>> arrays = new HashMap<>();

    private LoraBatch(List<AdapterMix> rows, NDManager call) {
        this.rows = List.copyOf(rows);
        this.call = call;
        this.shared = this.rows.stream().distinct().count() == 1;
    }

    /** The updates for a batch whose row i applies {@code rows.get(i)}; null when no row applies any adapter. */
    public static LoraBatch of(List<AdapterMix> rows, NDManager call) {
        return rows.stream().allMatch(AdapterMix::isEmpty) ? null : new LoraBatch(rows, call);
    }

    /** The mixes per row. */
    public List<AdapterMix> rows() {
        return rows;
    }

    /**
     * Adds the update of {@code projection} in {@code layer} to {@code output}.
     *
     * @param input  [B, T, in] the projection's input
     * @param output [B, T, out] the base projection's output
     * @return [B, T, out]
     */
    @Override
    public NDArray apply(NDArray input, NDArray output, int layer, Projection projection) {
        Gathered factors = gathered.computeIfAbsent(layer, key -> new EnumMap<>(Projection.class))
                .computeIfAbsent(projection, key -> gather(layer, key));
        if (factors.down() == null) {
            return output;
        }
        if (shared) {
            // (x A^T) B^T with one A [R, in] and B [out, R] for the whole batch
            return output.add(Linear.linear(Linear.linear(input, factors.down()).get(0), factors.up()).get(0));
        }
        // per row: [B, T, in] x [B, in, R] -> [B, T, R]; x [B, R, out] -> [B, T, out]
        return output.add(input.matMul(factors.down()).matMul(factors.up()));
    }

    /** Whether every row applies the same mix (then {@link #sharedFactors} gives its factors). */
    public boolean sharesOneMix() {
        return shared;
    }

    /**
     * When every row applies the same mix: its factors for one projection as float arrays, {@code {A [R, in],
     * B [out, R]}} row-major (gate weights folded into B), or null when the mix changes nothing there. Copied once
     * per call. For decoding on float arrays.
     *
     * @throws IllegalStateException when rows apply different mixes
     */
    public float[][] sharedFactors(int layer, Projection projection) {
        if (!shared) {
            throw new IllegalStateException("the rows of this batch apply different adapter mixes");
        }
        float[][] factors = arrays.computeIfAbsent(layer, key -> new EnumMap<>(Projection.class))
                .computeIfAbsent(projection, key -> {
                    Gathered gatheredFactors = gathered.computeIfAbsent(layer, ignored -> new EnumMap<>(Projection.class))
                            .computeIfAbsent(key, ignored -> gather(layer, key));
                    return gatheredFactors.down() == null ? NO_ARRAYS
                            : new float[][] {gatheredFactors.down().toFloatArray(), gatheredFactors.up().toFloatArray()};
                });
        return factors.length == 0 ? null : factors;
    }

    private Gathered gather(int layer, Projection projection) {
        if (shared) {
            RowFactors row = rowFactors(rows.get(0), layer, projection);
            return row == null ? NOTHING : new Gathered(row.down, row.up);
        }
        List<RowFactors> perRow = new ArrayList<>();
        int rank = 0;
        long in = -1;
        long out = -1;
        for (AdapterMix mix : rows) {
            RowFactors row = rowFactors(mix, layer, projection);
            perRow.add(row);
            if (row != null) {
                rank = Math.max(rank, (int) row.down.getShape().get(0));
                in = row.down.getShape().get(1);
                out = row.up.getShape().get(0);
            }
        }
        if (rank == 0) {
            return NOTHING;
        }
        // down^T stacked: [B, in, R]; up^T stacked: [B, R, out]; missing ranks and rows are zeros
        NDList downs = new NDList();
        NDList ups = new NDList();
        for (RowFactors row : perRow) {
            NDArray down = call.zeros(new Shape(rank, in));
            NDArray up = call.zeros(new Shape(out, rank));
            if (row != null) {
                long rowRank = row.down.getShape().get(0);
                down.set(new ai.djl.ndarray.index.NDIndex("0:{}, :", rowRank), row.down);
                up.set(new ai.djl.ndarray.index.NDIndex(":, 0:{}", rowRank), row.up);
            }
            downs.add(down.transpose());
            ups.add(up.transpose());
        }
        return new Gathered(owned(NDArrays.stack(downs)), owned(NDArrays.stack(ups)));
    }

    /** A row's factors for one projection, its mixture concatenated along the rank; null if none. */
    private RowFactors rowFactors(AdapterMix mix, int layer, Projection projection) {
        NDList downs = new NDList();
        NDList ups = new NDList();
        for (AdapterMix.Part part : mix.parts()) {
            ResidentAdapter.Factors factors = part.adapter().factors(layer, projection);
            if (factors == null) {
                continue;
            }
            downs.add(factors.down());
            ups.add(part.weight() == 1f ? factors.up() : owned(factors.up().mul(part.weight())));
        }
        if (downs.isEmpty()) {
            return null;
        }
        if (downs.size() == 1) {
            return new RowFactors(downs.get(0), ups.get(0));
        }
        return new RowFactors(owned(NDArrays.concat(downs, 0)), owned(NDArrays.concat(ups, 1)));
    }

    /** Operations on an adapter's arrays land in the adapter's manager; move their results to the call's. */
    private NDArray owned(NDArray array) {
        array.attach(call);
        return array;
    }

    private record RowFactors(NDArray down, NDArray up) {
    }
}
