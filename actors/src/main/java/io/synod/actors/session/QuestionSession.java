// One question's session: owns its deadline, its single reply, the retry after a solver failure and its trace.
package io.synod.actors.session;

import io.synod.actors.Durations;
import io.synod.actors.Failure;
import io.synod.actors.RuntimeStatus;
import io.synod.actors.SynodMessage;
import io.synod.actors.decomposer.DecomposerActor;
import io.synod.actors.solver.Job;
import io.synod.actors.solver.SolverActor;
import io.synod.actors.solver.SolverPool;
import io.synod.decomposer.reasoning.Answer;
import io.synod.decomposer.reasoning.AskOptions;
import io.synod.solvers.reasoning.TraceEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.ExtensibleBehavior;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The session of one question, a child of the {@link SessionManager}. It asks the decomposer to plan the question
 * (the decomposer hands the job to the solver pool), hears from the solver that takes it, forwards each trace
 * event as it arrives (to the caller and to the trace topic), and sends the caller exactly one {@link Answered}
 * or {@link Failed}, before its deadline, then stops.
 *
 * <p>A solver that throws is restarted by its supervisor and the job is sent to the pool once more; a second
 * failure is answered with {@link Failure.Kind#SOLVER_FAILED} naming both. When the manager says the deadline has
 * come ({@link DeadlineReached}: the manager keeps every session's deadline with one timer) the session answers
 * {@link Failure.Kind#DEADLINE_EXCEEDED} with the steps recorded so far, saying where the question was. A session
 * stopped before it answered (Synod stopping, or a bug that made it throw) answers {@link Failure.Kind#UNAVAILABLE}
 * as it stops, so the caller always hears once.
 *
 * <p>The caller is a {@code Consumer<Event>} that the session calls on its own thread, one event at a time: an
 * actor's {@code tell}, or the embedded API's callback (no hop to another actor).
 *
 * <p>The one actor spawned per question, and so written for its cost, unlike the others: it receives its own
 * {@link Command}s and its solver's {@link SolverActor.Reply replies} directly (its reference, narrowed to each
 * protocol, instead of a message adapter), and dispatches in one {@link #receive} method instead of building a
 * {@code Receive} for every question. Its behaviour is typed {@code Object} only inside; everyone else holds a
 * reference narrowed to {@code Command} or {@code SolverActor.Reply}.
 */
public final class QuestionSession extends ExtensibleBehavior<Object> {

    public sealed interface Command {
    }

    /** Answer now with {@link Failure.Kind#UNAVAILABLE}: Synod is closing. */
    public record Abort(String reason) implements Command, SynodMessage {
    }

    /** The question's deadline has come; sent by the manager. Local. */
    enum DeadlineReached implements Command, NoSerializationVerificationNeeded {
        INSTANCE
    }

    /** What the caller hears: trace events as they happen, then exactly one {@link Answered} or {@link Failed}. */
    public sealed interface Event extends SynodMessage {
        String sessionId();
    }

    public record TraceRecorded(String sessionId, TraceEvent event) implements Event {
    }

    /** The answer; its trace is every event the caller was sent, a failed first attempt included. */
    public record Answered(String sessionId, Answer answer) implements Event {
    }

    public record Failed(String sessionId, Failure failure) implements Event {
    }

    /** The actors a session works with, and the status it reports to. */
    public record Services(ActorRef<DecomposerActor.Command> decomposer, ActorRef<SolverPool.Command> pool,
                           TraceTopic traces, RuntimeStatus status) {
    }

    private enum Phase { WAITING, SOLVING }

    /**
     * @param replyTo called on the session's thread with each event; it must be quick and must not block
     * @param manager told {@link SessionManager.SessionEnded} when the session stops, however it stops
     */
    static Behavior<Object> create(String sessionId, String question, AskOptions options, Duration timeout,
                                   Consumer<Event> replyTo, ActorRef<SessionManager.Command> manager,
                                   Services services) {
        return Behaviors.setup(context -> {
            QuestionSession session = new QuestionSession(context, sessionId, timeout, replyTo, manager, services);
            services.decomposer().tell(new DecomposerActor.Plan(sessionId, question, options, session.deadline,
                    session.solverReplies));
            return session;
        });
    }

    private final ActorContext<Object> context;
    private final String sessionId;
    private final Duration timeout;
    private final Instant deadline;
    private final long startNanos = System.nanoTime();
    private final Consumer<Event> replyTo;
    private final ActorRef<SessionManager.Command> manager;
    private final Services services;
    private final ActorRef<SolverActor.Reply> solverReplies;
    private final List<TraceEvent> trace = new ArrayList<>();
    private Phase phase = Phase.WAITING;
    /** The job as planned, once a solver has taken it; null before. */
    private Job job;
    private String solver;
    private String firstFailure;
    private boolean callerAnswered;

    private QuestionSession(ActorContext<Object> context, String sessionId, Duration timeout, Consumer<Event> replyTo,
                            ActorRef<SessionManager.Command> manager, Services services) {
        this.context = context;
        this.sessionId = sessionId;
        this.timeout = timeout;
        this.deadline = Instant.now().plus(timeout);
        this.replyTo = replyTo;
        this.manager = manager;
        this.services = services;
        this.solverReplies = context.getSelf().narrow();
    }

    @Override
    public Behavior<Object> receive(TypedActorContext<Object> typedContext, Object message) {
        if (message instanceof SolverActor.Reply reply) {
            return onSolverReplied(reply);
        }
        if (message == DeadlineReached.INSTANCE) {
            return onDeadlineReached();
        }
        if (message instanceof Abort abort) {
            return fail(Failure.Kind.UNAVAILABLE, abort.reason());
        }
        return Behaviors.unhandled();
    }

    @Override
    public Behavior<Object> receiveSignal(TypedActorContext<Object> typedContext, Signal signal) {
        if (signal instanceof PostStop) {
            return onPostStop();
        }
        return Behaviors.unhandled();
    }

    private Behavior<Object> retry() {
        phase = Phase.WAITING;
        services.pool().tell(new SolverPool.Solve(job, solverReplies));
        return this;
    }

    private Behavior<Object> onSolverReplied(SolverActor.Reply reply) {
        if (reply instanceof SolverActor.Started started) {
            phase = Phase.SOLVING;
            solver = started.solver();
            job = started.job();
            return this;
        }
        if (reply instanceof SolverActor.Traced traced) {
            record(traced.event());
            return this;
        }
        if (reply instanceof SolverActor.Solved solved) {
            Answer answer = solved.answer();
            services.status().questionAnswered();
            callerAnswered = true;
            replyTo.accept(new Answered(sessionId, new Answer(answer.question(), answer.strategy(), answer.values(),
                    answer.reason(), answer.program(), answer.paths(), trace, answer.millis())));
            return Behaviors.stopped();
        }
        SolverActor.SolveFailed failed = (SolverActor.SolveFailed) reply;
        if (failed.retryable() && job != null && job.attempt() == 1) {
            firstFailure = failed.message();
            context.getLog().warn("session {}: {}; asking a solver again", sessionId, failed.message());
            record(new TraceEvent("retry", null, "session", job.question(), "asking a solver again (attempt 2)", null,
                    elapsedMillis(), 0, failed.message(), List.of()));
            job = job.retry();
            return retry();
        }
        String message = firstFailure == null ? failed.message()
                : "the solver failed on both attempts: first " + firstFailure + "; then " + failed.message();
        return fail(failed.kind(), message);
    }

    private Behavior<Object> onDeadlineReached() {
        String where = switch (phase) {
            case WAITING -> "it was being planned or waiting for a free solver";
            case SOLVING -> solver + " was still working on it, " + trace.size() + " steps recorded"
                    + (trace.isEmpty() ? "" : ", the last: " + describe(trace.get(trace.size() - 1)));
        };
        return fail(Failure.Kind.DEADLINE_EXCEEDED, "no answer within the deadline of " + Durations.words(timeout) + "; " + where);
    }

    private void record(TraceEvent event) {
        trace.add(event);
        TraceRecorded recorded = new TraceRecorded(sessionId, event);
        replyTo.accept(recorded);
        services.traces().publish(recorded);
    }

    private Behavior<Object> fail(Failure.Kind kind, String message) {
        if (kind == Failure.Kind.OVERLOADED) {
            // the solver queue was full: turned away at once, like a question beyond the sessions in flight
            services.status().questionRefused();
        } else {
            services.status().questionFailed();
        }
        callerAnswered = true;
        replyTo.accept(new Failed(sessionId, new Failure(kind, message, trace)));
        return Behaviors.stopped();
    }

    /**
     * Tells the manager (a message rather than a watch: cheaper, and sent however the session stops, a failure
     * included), and answers if it has not: Synod stops (the session's parent with it), or the session threw.
     */
    private Behavior<Object> onPostStop() {
        manager.tell(new SessionManager.SessionEnded(sessionId));
        if (!callerAnswered) {
            fail(Failure.Kind.UNAVAILABLE, "the question's session stopped before it answered (Synod is"
                    + " stopping, or the session failed: see the log)");
        }
        return this;
    }

    private double elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    private static String describe(TraceEvent event) {
        return event.handler() + " step " + event.id() + " \"" + event.input() + "\"";
    }
}
