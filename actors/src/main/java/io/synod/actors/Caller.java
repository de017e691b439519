// The edge between one question's session and the CompletionStage the embedded API returned for it.
package io.synod.actors;

import io.synod.actors.session.QuestionSession;
import io.synod.decomposer.reasoning.Answer;
import io.synod.solvers.reasoning.TraceEvent;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Receives a session's events for a caller of {@link Synod#ask}: hands each trace event to the caller's
 * listener, in order, then completes the caller's stage with the answer or the failure and stops. Since trace
 * events and the reply travel the same way, the listener has seen every event before the stage completes. A
 * backstop (the deadline plus a margin) completes the stage should the reply never come, and stopping with the
 * actor system fails a stage still open: the stage always completes.
 */
final class Caller extends AbstractBehavior<QuestionSession.Event> {

    static Behavior<QuestionSession.Event> create(CompletableFuture<Answer> result, Consumer<TraceEvent> listener,
                                                  Duration backstop) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            timers.startSingleTimer(new QuestionSession.Failed("", Failure.of(Failure.Kind.DEADLINE_EXCEEDED,
                    "no reply from the question's session within " + Durations.words(backstop) + "; the reply was lost")), backstop);
            return new Caller(context, result, listener);
        }));
    }

    private final CompletableFuture<Answer> result;
    private final Consumer<TraceEvent> listener;

    private Caller(ActorContext<QuestionSession.Event> context, CompletableFuture<Answer> result,
                   Consumer<TraceEvent> listener) {
        super(context);
        this.result = result;
        this.listener = listener;
    }

    @Override
    public Receive<QuestionSession.Event> createReceive() {
        return newReceiveBuilder()
                .onMessage(QuestionSession.TraceRecorded.class, this::onTraceRecorded)
                .onMessage(QuestionSession.Answered.class, answered -> {
                    result.complete(answered.answer());
                    return Behaviors.stopped();
                })
                .onMessage(QuestionSession.Failed.class, failed -> {
                    result.completeExceptionally(new SynodException(failed.failure()));
                    return Behaviors.stopped();
                })
                .onSignal(PostStop.class, signal -> {
                    result.completeExceptionally(new SynodException(Failure.of(Failure.Kind.UNAVAILABLE,
                            "Synod stopped before the question was answered")));
                    return this;
                })
                .build();
    }

    private Behavior<QuestionSession.Event> onTraceRecorded(QuestionSession.TraceRecorded recorded) {
        if (listener != null) {
            try {
                listener.accept(recorded.event());
            } catch (RuntimeException e) {
                getContext().getLog().warn("a trace listener threw; the question goes on", e);
            }
        }
        return this;
    }
}
