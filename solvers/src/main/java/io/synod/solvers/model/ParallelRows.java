// Splits the rows of a matrix-vector product across a few threads: one core cannot use all the memory bandwidth.
package io.synod.solvers.model;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of {@code threads - 1} daemon workers; the calling thread takes the first block of rows itself,
 * so one thread means no workers and no hand-off. Thread-safe: concurrent callers queue on the same workers.
 */
final class ParallelRows implements AutoCloseable {
    /** Work on rows {@code [first, last)}. */
    @FunctionalInterface
    interface RowBlock {
        void run(int first, int last);
    }

    /** Below this many multiply-adds a product runs on the calling thread: a hand-off would cost more. */
    private static final long SMALLEST_SPLIT = 1 << 16;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int threads;
    private final long smallestSplit;
    private final ExecutorService workers;

    ParallelRows(int threads) {
        this(threads, SMALLEST_SPLIT);
    }

    /** With {@code smallestSplit} multiply-adds the least a product needs to be split (tests split tiny ones). */
    ParallelRows(int threads, long smallestSplit) {
        this.threads = threads;
        this.smallestSplit = smallestSplit;
        int pool = POOLS.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        this.workers = threads <= 1 ? null : Executors.newFixedThreadPool(threads - 1, runnable -> {
            Thread thread = new Thread(runnable, "synod-decode-" + pool + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    int threads() {
        return threads;
    }

    /** Runs {@code block} over {@code [0, rows)} in contiguous blocks (multiples of four rows), one per thread. */
    void run(int rows, int columns, RowBlock block) {
        if (workers == null || (long) rows * columns < smallestSplit) {
            block.run(0, rows);
            return;
        }
        int perThread = ((rows + threads - 1) / threads + 3) & ~3;
        @SuppressWarnings("unchecked")
        Future<?>[] pending = new Future<?>[threads - 1];
        int submitted = 0;
        for (int first = perThread; first < rows; first += perThread) {
            int from = first;
            int to = Math.min(rows, first + perThread);
            pending[submitted++] = workers.submit(() -> block.run(from, to));
        }
        block.run(0, Math.min(rows, perThread));
        try {
            for (int i = 0; i < submitted; i++) {
                pending[i].get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while decoding", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a decoding thread failed", e.getCause());
        }
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdown();
        }
    }
}
