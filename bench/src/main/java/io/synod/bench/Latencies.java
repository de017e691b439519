// Collects per-call latencies and prints their percentiles: the figures the benchmarks report.
package io.synod.bench;

import java.util.Arrays;
import java.util.Locale;

public final class Latencies {
    private long[] nanos = new long[1024];
    private int count;

    public void add(long elapsedNanos) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = elapsedNanos;
    }

    /** Adds every sample of {@code other}. */
    public void addAll(Latencies other) {
        for (int i = 0; i < other.count; i++) {
            add(other.nanos[i]);
        }
    }

    public int count() {
        return count;
    }

    /** The value at quantile q in [0, 1] (nearest rank), in microseconds. */
    public double percentileMicros(double q) {
        if (count == 0) {
            throw new IllegalStateException("no samples");
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * count) - 1;
        return sorted[Math.max(0, Math.min(count - 1, rank))] / 1000.0;
    }

    public String summary() {
        return String.format(Locale.ROOT, "p50 %.1f µs, p90 %.1f µs, p99 %.1f µs (n=%d)",
                percentileMicros(0.5), percentileMicros(0.9), percentileMicros(0.99), count);
    }

    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
