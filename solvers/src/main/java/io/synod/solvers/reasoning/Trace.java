// Collects the trace events of one question and passes each to listeners as it happens.
package io.synod.solvers.reasoning;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The trace of one question. Events are recorded in the order they finish and handed to every
 * listener at once (streaming). Thread-safe: handlers running on several threads may record into
 * the same trace.
 */
public final class Trace {

    private final long startNanos = System.nanoTime();
    private final List<TraceEvent> events = new ArrayList<>();
    private final List<Consumer<TraceEvent>> listeners = new CopyOnWriteArrayList<>();

    /** Adds a listener that receives every event recorded from now on. */
    public Trace listen(Consumer<TraceEvent> listener) {
        listeners.add(listener);
        return this;
    }

    /** Milliseconds since this trace was created. */
    public double elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    /** Starts timing a step; {@link Step#finish} or {@link Step#fail} records it. */
    public Step start(String id, String parent, String handler, String input) {
        return new Step(id, parent, handler, input, elapsedMillis());
    }

    public void record(TraceEvent event) {
        synchronized (events) {
            events.add(event);
        }
        for (Consumer<TraceEvent> listener : listeners) {
            listener.accept(event);
        }
    }

    /** The events recorded so far, in order. */
    public List<TraceEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** A step being timed. */
    public final class Step {
        private final String id;
        private final String parent;
        private final String handler;
        private final String input;
        private final double startMillis;

        private Step(String id, String parent, String handler, String input, double startMillis) {
            this.id = id;
            this.parent = parent;
            this.handler = handler;
            this.input = input;
            this.startMillis = startMillis;
        }

        public String id() {
            return id;
        }

        public TraceEvent finish(String output, String adapter, List<String> path) {
            TraceEvent event = new TraceEvent(id, parent, handler, input, output, adapter, startMillis,
                    elapsedMillis() - startMillis, null, path);
            record(event);
            return event;
        }

        public TraceEvent fail(String error, String adapter) {
            TraceEvent event = new TraceEvent(id, parent, handler, input, "", adapter, startMillis,
                    elapsedMillis() - startMillis, error, List.of());
            record(event);
            return event;
        }
    }
}
