// The topic of every question's trace events: a Pekko Topic behind a count of subscribers, so that publishing
// costs nothing while nobody listens.
package io.synod.actors.session;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * Where sessions publish the trace events they record, and where subscribers (actors) subscribe to them. The
 * events travel through a Pekko {@link Topic}; this facade counts the subscriptions made through it, and a
 * {@link #publish} while there are none sends nothing (a session records several events per question, and
 * without it each would be a message to the topic actor). A subscription made here reaches the topic before any
 * event published after {@link #subscribe} returns, so such a subscriber misses none of them.
 *
 * <p>Thread-safe. Subscribers should {@link #unsubscribe} before they stop: one that stops without does no harm
 * (the topic drops it), but publishing then goes on as if it listened. Subscribers elsewhere in a cluster are not
 * counted here (there is no cluster wiring yet).
 */
public final class TraceTopic {

    private final ActorRef<Topic.Command<QuestionSession.TraceRecorded>> topic;
    private final AtomicInteger subscribers = new AtomicInteger();

    /** @param topic a topic of {@link QuestionSession.TraceRecorded}, its subscriptions all made through this facade */
    public TraceTopic(ActorRef<Topic.Command<QuestionSession.TraceRecorded>> topic) {
        this.topic = topic;
    }

    public void subscribe(ActorRef<QuestionSession.TraceRecorded> subscriber) {
        topic.tell(Topic.subscribe(subscriber));
        // counted after the subscription is on its way, so a session that sees the count publishes behind it
        subscribers.incrementAndGet();
    }

    public void unsubscribe(ActorRef<QuestionSession.TraceRecorded> subscriber) {
        subscribers.decrementAndGet();
        topic.tell(Topic.unsubscribe(subscriber));
    }

    /** Sends the event to the topic's subscribers; nothing at all while there are none. */
    public void publish(QuestionSession.TraceRecorded recorded) {
        if (subscribers.get() > 0) {
            topic.tell(Topic.publish(recorded));
        }
    }

    /** Whether anyone subscribed (and has not unsubscribed). */
    public boolean hasSubscribers() {
        return subscribers.get() > 0;
    }
}
