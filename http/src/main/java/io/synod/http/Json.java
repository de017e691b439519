// Reading request bodies and writing responses as JSON, with messages that name the field and what was expected.
package io.synod.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;

/** The API's JSON: one shared mapper (snake_case names), response builders and field readers. Thread-safe. */
final class Json {

    /** Writes {@link Views} with snake_case names; reads request bodies. */
    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** A response with {@code body} as JSON. */
    public static HttpResponse response(StatusCode status, Object body) {
        return HttpResponse.create().withStatus(status).withEntity(ContentTypes.APPLICATION_JSON, write(body));
    }

    /** The response of an error: its status, {@code {"error": ...}}, and Retry-After on a 503. */
    public static HttpResponse response(ApiError error, long retryAfterSeconds) {
        HttpResponse response = response(error.status(), Views.ErrorView.of(error));
        return error.retryLater() ? response.addHeader(RetryAfter.create(retryAfterSeconds)) : response;
    }

    /** The response of an error with extra headers (WWW-Authenticate, Allow). */
    public static HttpResponse response(ApiError error, List<HttpHeader> headers) {
        return response(error.status(), Views.ErrorView.of(error)).addHeaders(headers);
    }

    /**
     * Parses a request body that must be a JSON object with only the {@code fields} named.
     *
     * @throws ApiError 400 {@code invalid_json} when the body is empty, not JSON or not an object; 400
     *                  {@code invalid_field} naming a field that is not one of {@code fields}
     */
    public static ObjectNode object(byte[] body, List<String> fields) {
        String expected = "a JSON object with the fields " + String.join(", ", fields);
        if (body.length == 0) {
            throw ApiError.badRequest("invalid_json", "the request body is empty; expected " + expected);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("invalid_json", "the request body is not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw ApiError.badRequest("invalid_json", "the request body cannot be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiError.badRequest("invalid_json", "the request body is " + kind(node) + "; expected " + expected);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw ApiError.badRequest("invalid_field", "unknown field '" + name + "'; expected " + expected);
            }
        }
        return (ObjectNode) node;
    }

    /** A required string field. @throws ApiError 400 naming the field when it is missing or not a string */
    public static String requiredString(ObjectNode body, String field) {
        return optionalString(body, field).orElseThrow(() -> ApiError.badRequest("invalid_field",
                "the field '" + field + "' is required: expected a string"));
    }

    /** A string field that may be missing or null. @throws ApiError 400 naming the field when it is not a string */
    public static Optional<String> optionalString(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw ApiError.badRequest("invalid_field", "the field '" + field + "' must be a string, got " + kind(value));
        }
        return Optional.of(value.textValue());
    }

    /**
     * A whole-number field that may be missing or null, within {@code [minimum, maximum]}.
     *
     * @throws ApiError 400 naming the field and the range when it is not a whole number in range
     */
    public static Optional<Long> optionalWholeNumber(ObjectNode body, String field, long minimum, long maximum) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        String range = "a whole number from " + minimum + " to " + maximum;
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw ApiError.badRequest("invalid_field", "the field '" + field + "' must be " + range + ", got "
                    + kind(value) + (value.isNumber() ? " " + value.asText() : ""));
        }
        long number = value.longValue();
        if (number < minimum || number > maximum) {
            throw ApiError.badRequest("invalid_field", "the field '" + field + "' must be " + range + ", got " + number);
        }
        return Optional.of(number);
    }

    /**
     * A number field that may be missing or null, at least 0 and below 1.
     *
     * @throws ApiError 400 naming the field and the range when it is not a number in range
     */
    public static Optional<Double> optionalFraction(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isNumber() || !(value.doubleValue() >= 0 && value.doubleValue() < 1)) {
            throw ApiError.badRequest("invalid_field", "the field '" + field + "' must be a number at least 0 and"
                    + " below 1, got " + kind(value) + (value.isNumber() ? " " + value.asText() : ""));
        }
        return Optional.of(value.doubleValue());
    }

    /** "a string", "a number", ... for messages. */
    private static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "empty";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case NUMBER -> "a number";
            case OBJECT -> "an object";
            case STRING -> "a string";
            default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
