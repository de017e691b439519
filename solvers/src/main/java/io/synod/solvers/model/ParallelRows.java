// Splits the rows of a matrix-vector product across a few threads: one core cannot use all the memory bandwidth.
package io.synod.solvers.model;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of {@code threads - 1} daemon workers that help the calling thread, which works too; one thread
 * means no workers and no hand-off. Thread-safe: concurrent callers share the workers, and each caller can
 * finish its product alone when they are busy elsewhere.
 */
final class ParallelRows implements AutoCloseable {
    /** Work on rows {@code [first, last)}. */
    @FunctionalInterface
    interface RowBlock {
        void run(int first, int last);
    }

    /** Below this many multiply-adds a product runs on the calling thread: a hand-off would cost more. */
    private static final long SMALLEST_SPLIT = 1 << 16;
    /** Blocks per thread: enough that the threads end together although they start at different times. */
    private static final int BLOCKS_PER_THREAD = 4;
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

    /**
     * Runs {@code block} over {@code [0, rows)} in contiguous blocks that the calling thread and the workers claim
     * one at a time. The caller claims too, so a worker that the operating system has not scheduled (on a machine
     * busy with other work) costs nothing: the caller takes its blocks, and waits only for blocks already begun.
     */
    void run(int rows, int columns, RowBlock block) {
        if (workers == null || (long) rows * columns < smallestSplit) {
            block.run(0, rows);
            return;
        }
        Job job = new Job(block, rows, Math.max(1, (rows + BLOCKS_PER_THREAD * threads - 1) / (BLOCKS_PER_THREAD * threads)));
        for (int i = 1; i < threads; i++) {
            workers.execute(job::work);
        }
        job.work();
        job.awaitDone();
    }

    /** One product split in blocks; {@code next} hands them out, {@code finished} counts them done. */
    private static final class Job {
        private final RowBlock block;
        private final int rows;
        private final int rowsPerBlock;
        private final int blocks;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger finished = new AtomicInteger();
        private volatile Throwable failure;

        Job(RowBlock block, int rows, int rowsPerBlock) {
            this.block = block;
            this.rows = rows;
            this.rowsPerBlock = rowsPerBlock;
            this.blocks = (rows + rowsPerBlock - 1) / rowsPerBlock;
        }

        void work() {
            for (int index = next.getAndIncrement(); index < blocks; index = next.getAndIncrement()) {
                int first = index * rowsPerBlock;
                try {
                    block.run(first, Math.min(rows, first + rowsPerBlock));
                } catch (RuntimeException | Error e) {
                    failure = e;
                } finally {
                    finished.incrementAndGet();
                }
            }
        }

        void awaitDone() {
            // the blocks left are running on workers now and take microseconds: spin, then yield the core
            for (int spins = 0; finished.get() < blocks; spins++) {
                if (spins < 1000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            if (failure != null) {
                throw new IllegalStateException("a decoding thread failed", failure);
            }
        }
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdown();
        }
    }
}
