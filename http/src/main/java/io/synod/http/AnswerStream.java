// POST /v1/answer/stream: a question's trace events as server-sent events as they are recorded, then the answer.
package io.synod.http;

import io.synod.actors.Synod;
import io.synod.solvers.reasoning.TraceEvent;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One streamed question. The response's status is decided by what comes first: a question refused before its
 * first step (invalid, overloaded, still loading, past its deadline) is answered with the JSON error and its
 * status, like POST /v1/answer; once a step is recorded the response is a 200 event stream of
 * {@code event: trace} (one {@link Views.StepView} each, {@code id} the step's id), then one
 * {@code event: answer} ({@link Views.AnswerView}) or {@code event: error} ({@link Views.ErrorView}, with the steps
 * so far), and the stream ends. A heartbeat comment keeps the connection open while a step runs.
 */
final class AnswerStream {

    private static final Logger log = LoggerFactory.getLogger(AnswerStream.class);

    /** The stream to send, or the error to answer instead: exactly one is set. */
    record Opening(Source<ServerSentEvent, NotUsed> events, HttpResponse refusal) {
    }

    private AnswerStream() {
    }

    /** Asks the question; the stage completes at the first step, or with the refusal. */
    static CompletionStage<Opening> open(Synod synod, AnswerRequest request, Duration deadline, HttpSettings settings,
                                         Materializer materializer) {
        Pair<BoundedSourceQueue<ServerSentEvent>, Source<ServerSentEvent, NotUsed>> stream =
                Source.<ServerSentEvent>queue(settings.streamBuffer()).preMaterialize(materializer);
        BoundedSourceQueue<ServerSentEvent> queue = stream.first();
        Opening streaming = new Opening(stream.second().keepAlive(settings.heartbeat(), ServerSentEvent::heartbeat), null);
        CompletableFuture<Opening> opening = new CompletableFuture<>();
        long start = System.nanoTime();
        // the listener and the completion run on one actor, in order, the listener first
        synod.ask(request.question(), request.options(), deadline, event -> {
            opening.complete(streaming);
            offer(queue, trace(event));
        }).whenComplete((answer, failure) -> {
            if (failure == null) {
                opening.complete(streaming);
                offer(queue, ServerSentEvent.create(Json.write(Views.AnswerView.of(answer,
                        (System.nanoTime() - start) / 1e6)), "answer"));
            } else {
                ApiError error = ApiError.of(failure);
                if (!opening.complete(new Opening(null, Json.response(error, settings.retryAfter().toSeconds())))) {
                    offer(queue, ServerSentEvent.create(Json.write(Views.ErrorView.of(error)), "error"));
                }
            }
            queue.complete();
        });
        return opening;
    }

    private static ServerSentEvent trace(TraceEvent event) {
        return ServerSentEvent.create(Json.write(Views.StepView.of(event)), "trace", event.id());
    }

    private static void offer(BoundedSourceQueue<ServerSentEvent> queue, ServerSentEvent event) {
        QueueOfferResult result = queue.offer(event);
        if (result instanceof QueueOfferResult.Dropped$) {
            // a client that reads slower than the trace grows: end its stream rather than hold events without bound
            log.warn("an answer stream's client fell {} events behind; ending its stream", queue.size());
            queue.fail(new IllegalStateException("the client read too slowly"));
        }
    }
}
