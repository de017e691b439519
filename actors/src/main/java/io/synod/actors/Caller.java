// The edge between one question's session and the CompletionStage the embedded API returned for it.
package io.synod.actors;

import io.synod.actors.session.QuestionSession;
import io.synod.decomposer.reasoning.Answer;
import io.synod.solvers.reasoning.TraceEvent;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives a session's events for a caller of {@link Synod#ask}: hands each trace event to the caller's
 * listener, in order, then completes the caller's stage with the answer or the failure. Not an actor: the
 * session calls it on its own thread, one event at a time, so the listener has seen every event before the
 * stage completes, without a hop to another actor. The session answers once, by its deadline, also when it
 * fails or is stopped; the stage of a question whose session never started (the actor system stopped first) is
 * failed by {@link Synod}.
 */
final class Caller implements Consumer<QuestionSession.Event> {

    private static final Logger log = LoggerFactory.getLogger(Caller.class);

    private final CompletableFuture<Answer> result;
    private final Consumer<TraceEvent> listener;

    Caller(CompletableFuture<Answer> result, Consumer<TraceEvent> listener) {
        this.result = result;
        this.listener = listener;
    }

    @Override
    public void accept(QuestionSession.Event event) {
        if (event instanceof QuestionSession.TraceRecorded recorded) {
            onTraceRecorded(recorded);
        } else if (event instanceof QuestionSession.Answered answered) {
            result.complete(answered.answer());
        } else {
            result.completeExceptionally(new SynodException(((QuestionSession.Failed) event).failure()));
        }
    }

    private void onTraceRecorded(QuestionSession.TraceRecorded recorded) {
        if (listener != null) {
            try {
                listener.accept(recorded.event());
            } catch (RuntimeException e) {
                log.warn("a trace listener threw; the question goes on", e);
            }
        }
    }
}
