// Parses a source on a helper thread while the caller's thread stores and indexes the triples.
package io.synod.kg.load;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.jena.graph.Triple;
import org.apache.jena.riot.system.StreamRDFBase;

/**
 * Two-stage loading: one thread parses (RIOT or the TSV reader) and hands over batches of triples
 * through a small bounded queue; the calling thread consumes them (adds them to a graph, inside a TDB2
 * write transaction where there is one, and indexes them). On a multi-core machine this roughly halves
 * the load time of a large file. Errors from either side stop both and are rethrown in the caller,
 * unchanged (a {@link io.synod.kg.GraphLoadException} stays one).
 */
public final class PipelinedParser {

    private static final int BATCH_SIZE = 4096;
    private static final int QUEUE_BATCHES = 32;
    private static final Triple[] END = new Triple[0];

    private PipelinedParser() {
    }

    /** Parses {@code source} and passes every triple, in order, to {@code consumer} on the calling thread. */
    public static void parse(GraphSource source, boolean checking, Consumer<Triple> consumer) {
        BlockingQueue<Triple[]> queue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
        AtomicReference<Throwable> parserFailure = new AtomicReference<>();
        Thread parser = new Thread(() -> {
            try {
                SourceParser.parse(source, new Batcher(queue), checking);
            } catch (Throwable failure) {
                parserFailure.set(failure);
            } finally {
                try {
                    queue.put(END);
                } catch (InterruptedException consumerGaveUp) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "synod-kg-parser");
        parser.setDaemon(true);
        parser.start();
        try {
            while (true) {
                Triple[] batch = queue.take();
                if (batch == END) {
                    break;
                }
                for (Triple triple : batch) {
                    consumer.accept(triple);
                }
            }
            parser.join();
        } catch (InterruptedException e) {
            parser.interrupt();
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while loading " + source.name());
        } catch (RuntimeException | Error e) {
            parser.interrupt();
            throw e;
        }
        Throwable failure = parserFailure.get();
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure != null) {
            throw new IllegalStateException("parsing " + source.name() + " failed", failure);
        }
    }

    /** Collects parsed triples into batches and queues them; the last, partial batch goes at finish(). */
    private static final class Batcher extends StreamRDFBase {

        private final BlockingQueue<Triple[]> queue;
        private Triple[] batch = new Triple[BATCH_SIZE];
        private int size;

        Batcher(BlockingQueue<Triple[]> queue) {
            this.queue = queue;
        }

        @Override
        public void triple(Triple triple) {
            batch[size++] = triple;
            if (size == BATCH_SIZE) {
                hand(batch);
                batch = new Triple[BATCH_SIZE];
                size = 0;
            }
        }

        @Override
        public void quad(org.apache.jena.sparql.core.Quad quad) {
            if (quad.isDefaultGraph()) {
                triple(quad.asTriple());
            }
        }

        @Override
        public void finish() {
            if (size > 0) {
                Triple[] last = new Triple[size];
                System.arraycopy(batch, 0, last, 0, size);
                hand(last);
                size = 0;
            }
        }

        private void hand(Triple[] triples) {
            try {
                queue.put(triples);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("loading was cancelled");
            }
        }
    }
}
