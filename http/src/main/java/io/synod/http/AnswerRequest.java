// The body of POST /v1/answer and /v1/answer/stream, read and checked field by field.
package io.synod.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.synod.decomposer.reasoning.AskOptions;
import io.synod.decomposer.reasoning.Reasoner;
import io.synod.decomposer.reasoning.Strategy;

import java.time.Duration;
import java.util.List;

/**
 * A question and how to answer it. Fields left out take the server's defaults ({@code synod.ask}, and
 * {@code synod.sessions.default-deadline} for the deadline). Immutable.
 *
 * @param question the question, at most {@link Reasoner#MAX_QUESTION_LENGTH} characters once stripped
 * @param options  strategy, beam width, hops, rounds and walk confidence
 * @param deadline how long the answer may take; {@code null} for the default
 */
public record AnswerRequest(String question, AskOptions options, Duration deadline) {

    /** The fields a body may have. */
    public static final List<String> FIELDS = List.of("question", "strategy", "deadline_ms", "beam_width", "max_hops",
            "max_rounds", "walk_confidence");

    /**
     * Reads a request body.
     *
     * @param defaults    the options of fields left out
     * @param maxDeadline the longest deadline accepted
     * @throws ApiError 400 naming the field that is missing, of the wrong type or out of range; 413 when the
     *                  question is longer than {@link Reasoner#MAX_QUESTION_LENGTH}
     */
    public static AnswerRequest parse(byte[] body, AskOptions defaults, Duration maxDeadline) {
        ObjectNode fields = Json.object(body, FIELDS);
        String question = Json.requiredString(fields, "question");
        int length = question.strip().length();
        if (length > Reasoner.MAX_QUESTION_LENGTH) {
            throw ApiError.tooLarge("question_too_long", "the question is " + length + " characters long; at most "
                    + Reasoner.MAX_QUESTION_LENGTH + " are accepted");
        }
        Strategy strategy = defaults.strategy();
        String named = Json.optionalString(fields, "strategy").orElse(null);
        if (named != null) {
            try {
                strategy = Strategy.parse(named);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("invalid_field", "the field 'strategy': " + e.getMessage());
            }
        }
        AskOptions options = new AskOptions(strategy,
                Json.optionalWholeNumber(fields, "beam_width", 1, 16).map(Long::intValue).orElse(defaults.beamWidth()),
                Json.optionalWholeNumber(fields, "max_hops", 1, 6).map(Long::intValue).orElse(defaults.maxHops()),
                Json.optionalWholeNumber(fields, "max_rounds", 1, 4).map(Long::intValue).orElse(defaults.maxRounds()),
                Json.optionalFraction(fields, "walk_confidence").orElse(defaults.walkConfidence()));
        Duration deadline = Json.optionalWholeNumber(fields, "deadline_ms", 1, maxDeadline.toMillis())
                .map(Duration::ofMillis).orElse(null);
        return new AnswerRequest(question, options, deadline);
    }
}
