// A handle on a trace subscription.
package io.synod.actors;

/** A subscription to every question's trace events; {@link #close()} ends it (later closes do nothing). */
public interface Subscription extends AutoCloseable {

    @Override
    void close();
}
