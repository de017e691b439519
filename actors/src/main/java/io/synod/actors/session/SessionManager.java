// Accepts questions: one session each, at most synod.sessions.max-in-flight at once; drains them on shutdown.
package io.synod.actors.session;

import io.synod.actors.Durations;
import io.synod.actors.Failure;
import io.synod.actors.SynodMessage;
import io.synod.actors.SynodSettings;
import io.synod.decomposer.reasoning.AskOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The entry for questions. Each accepted question gets a {@link QuestionSession} child with its own id and
 * deadline. The manager keeps every session's deadline with one timer, set for the earliest: when it fires, each
 * session whose deadline has come is told {@link QuestionSession.DeadlineReached} and the timer is set for the next
 * (a timer per session would cost a scheduled task per question). Back-pressure: with {@code synod.sessions.max-in-flight} sessions running, a new question is
 * refused at once with {@link Failure.Kind#OVERLOADED}; nothing is queued here. On {@link Drain} it takes no new
 * question, lets the sessions finish for the drain timeout, then aborts the rest (each answers its caller with
 * an error and its partial trace) and replies {@link Drained}.
 */
public final class SessionManager extends AbstractBehavior<SessionManager.Command> {

    public sealed interface Command {
    }

    /**
     * Answer a question within {@code timeout}; {@code replyTo} gets the session's trace events, then exactly
     * one {@link QuestionSession.Answered} or {@link QuestionSession.Failed}.
     */
    public record Ask(String question, AskOptions options, Duration timeout, ActorRef<QuestionSession.Event> replyTo)
            implements Command, SynodMessage {
    }

    /**
     * {@link Ask} for a caller in this JVM (the embedded API): {@code replyTo} is called on the session's thread
     * with each event, in order, then exactly one {@link QuestionSession.Answered} or {@link QuestionSession.Failed},
     * with no hop to another actor. Local: it carries a callback.
     */
    public record AskInProcess(String question, AskOptions options, Duration timeout,
                               Consumer<QuestionSession.Event> replyTo) implements Command, NoSerializationVerificationNeeded {
    }

    /** Stop accepting questions; reply once every session has answered, aborting those still running after {@code timeout}. */
    public record Drain(Duration timeout, ActorRef<Drained> replyTo) implements Command, SynodMessage {
    }

    /** Every session has answered; {@code aborted} of them were cut short. */
    public record Drained(int aborted) implements SynodMessage {
    }

    /** A session stopped (it answered, or was stopped); sent by the session itself. */
    record SessionEnded(String sessionId) implements Command, SynodMessage {
    }

    private enum DrainTimedOut implements Command {
        INSTANCE
    }

    /** The earliest deadline has come. */
    private enum DeadlineTick implements Command {
        INSTANCE
    }

    /** A session's deadline on {@link System#nanoTime}'s clock; the session's number breaks ties. */
    private record Deadline(long nanos, long number) implements Comparable<Deadline> {
        @Override
        public int compareTo(Deadline other) {
            int byTime = Long.compare(nanos - other.nanos, 0);
            return byTime != 0 ? byTime : Long.compare(number, other.number);
        }
    }

    private record Running(ActorRef<QuestionSession.Command> session, Deadline deadline) {
    }

    public static Behavior<Command> create(SynodSettings.SessionSettings settings, QuestionSession.Services services) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> new SessionManager(context, timers, settings,
                services)));
    }

    private final TimerScheduler<Command> timers;
    private final SynodSettings.SessionSettings settings;
    private final QuestionSession.Services services;
    private final Map<String, Running> sessions = new HashMap<>();
    /** The sessions whose deadline has not come, earliest first. */
    private final TreeMap<Deadline, ActorRef<QuestionSession.Command>> deadlines = new TreeMap<>();
    /** When the deadline timer fires, if it is set. */
    private Deadline armed;
    /** Who waits for the drain; empty while not draining. */
    private final List<ActorRef<Drained>> drainedReplyTo = new ArrayList<>();
    private Duration drainTimeout;
    private int aborted;

    private SessionManager(ActorContext<Command> context, TimerScheduler<Command> timers,
                           SynodSettings.SessionSettings settings, QuestionSession.Services services) {
        super(context);
        this.timers = timers;
        this.settings = settings;
        this.services = services;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Ask.class, this::onAsk)
                .onMessage(AskInProcess.class, this::onAskInProcess)
                .onMessage(SessionEnded.class, this::onSessionEnded)
                .onMessage(Drain.class, this::onDrain)
                .onMessageEquals(DrainTimedOut.INSTANCE, this::onDrainTimedOut)
                .onMessageEquals(DeadlineTick.INSTANCE, this::onDeadlineTick)
                .build();
    }

    private Behavior<Command> onAsk(Ask ask) {
        return accept(ask.question(), ask.options(), ask.timeout(), ask.replyTo()::tell);
    }

    private Behavior<Command> onAskInProcess(AskInProcess ask) {
        return accept(ask.question(), ask.options(), ask.timeout(), ask.replyTo());
    }

    private Behavior<Command> accept(String question, AskOptions options, Duration timeout,
                                     Consumer<QuestionSession.Event> replyTo) {
        // the question's number in this Synod: unique, and cheaper than a random UUID
        long number = services.status().questionAsked();
        String sessionId = Long.toString(number);
        if (!drainedReplyTo.isEmpty()) {
            return refuse(replyTo, sessionId, Failure.Kind.UNAVAILABLE, "Synod is shutting down and takes no new questions");
        }
        if (sessions.size() >= settings.maxInFlight()) {
            return refuse(replyTo, sessionId, Failure.Kind.OVERLOADED, sessions.size() + " questions are in flight, the most"
                    + " this Synod takes (synod.sessions.max-in-flight); try again shortly");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(settings.maxDeadline()) > 0) {
            services.status().questionFailed();
            replyTo.accept(new QuestionSession.Failed(sessionId, Failure.of(Failure.Kind.INVALID_REQUEST,
                    "the deadline is " + Durations.words(timeout) + "; it must be longer than zero and at"
                            + " most " + Durations.words(settings.maxDeadline()) + " (synod.sessions.max-deadline)")));
            return this;
        }
        Deadline deadline = new Deadline(System.nanoTime() + timeout.toNanos(), number);
        ActorRef<QuestionSession.Command> session = getContext().spawn(QuestionSession.create(sessionId, question,
                options, timeout, replyTo, getContext().getSelf(), services), "session-" + sessionId).narrow();
        sessions.put(sessionId, new Running(session, deadline));
        deadlines.put(deadline, session);
        if (armed == null || deadline.compareTo(armed) < 0) {
            arm(deadline);
        }
        services.status().sessionsInFlight(sessions.size());
        return this;
    }

    private Behavior<Command> refuse(Consumer<QuestionSession.Event> replyTo, String sessionId, Failure.Kind kind,
                                     String reason) {
        // counted before the reply, so that whoever sees the reply sees the count
        services.status().questionRefused();
        replyTo.accept(new QuestionSession.Failed(sessionId, Failure.of(kind, reason)));
        return this;
    }

    private Behavior<Command> onSessionEnded(SessionEnded ended) {
        Running running = sessions.remove(ended.sessionId());
        if (running != null) {
            deadlines.remove(running.deadline());
        }
        services.status().sessionsInFlight(sessions.size());
        if (!drainedReplyTo.isEmpty() && sessions.isEmpty()) {
            timers.cancel(DrainTimedOut.INSTANCE);
            drainedReplyTo.forEach(replyTo -> replyTo.tell(new Drained(aborted)));
        }
        return this;
    }

    private Behavior<Command> onDrain(Drain drain) {
        boolean first = drainedReplyTo.isEmpty();
        drainedReplyTo.add(drain.replyTo());
        if (sessions.isEmpty()) {
            drain.replyTo().tell(new Drained(aborted));
        } else if (first) {
            drainTimeout = drain.timeout();
            getContext().getLog().info("draining {} questions in flight (at most {})", sessions.size(),
                    Durations.words(drainTimeout));
            timers.startSingleTimer(DrainTimedOut.INSTANCE, drainTimeout);
        }
        return this;
    }

    private Behavior<Command> onDrainTimedOut() {
        aborted = sessions.size();
        String reason = "Synod is closing and the question did not finish within "
                + Durations.words(drainTimeout) + " (synod.shutdown.drain-timeout)";
        sessions.values().forEach(running -> running.session().tell(new QuestionSession.Abort(reason)));
        return this;
    }

    /** Tells every session whose deadline has come, then sets the timer for the earliest one left. */
    private Behavior<Command> onDeadlineTick() {
        armed = null;
        long now = System.nanoTime();
        while (!deadlines.isEmpty() && deadlines.firstKey().nanos() - now <= 0) {
            deadlines.pollFirstEntry().getValue().tell(QuestionSession.DeadlineReached.INSTANCE);
        }
        if (!deadlines.isEmpty()) {
            arm(deadlines.firstKey());
        }
        return this;
    }

    private void arm(Deadline deadline) {
        armed = deadline;
        timers.startSingleTimer(DeadlineTick.INSTANCE, Duration.ofNanos(Math.max(0, deadline.nanos() - System.nanoTime())));
    }
}
