// The route tree of the HTTP API: answers and their streams, adapter administration, expert selection, graph
// look-ups, operations.
package io.synod.http;

import io.synod.actors.Readiness;
import io.synod.actors.Synod;
import io.synod.actors.knowledge.KnowledgeSolverActor;
import io.synod.adapters.experts.KShotExample;
import io.synod.adapters.experts.KShotExamples;
import io.synod.adapters.experts.KShotSelection;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API over a started {@link Synod}. Every route answers JSON (except /metrics, /openapi.yaml and the event
 * stream), and every error is {@code {"error": {"code", "message"}}} with its status (see {@link ApiError}):
 * a bad request is answered and forgotten, it never stops the server. docs/http.md describes each route, and
 * {@code openapi.yaml} (served at /openapi.yaml) states them for programs; {@link #endpoints()} lists them as
 * the tree declares them.
 */
public final class Routes extends AllDirectives {

    private static final Logger log = LoggerFactory.getLogger(Routes.class);

    /** The OpenAPI description, a resource of this module. */
    public static final String OPENAPI_RESOURCE = "/io/synod/http/openapi.yaml";

    /** Marks a response with the template of the route that made it, for the request metrics. */
    private static final AttributeKey<String> ROUTE = AttributeKey.create("synod-route", String.class);

    /** How long a request body may take to arrive. */
    private static final long BODY_TIMEOUT_MILLIS = 10_000;

    /** How long after Synod's own deadline a question's request may still wait for its answer. */
    private static final Duration ANSWER_MARGIN = Duration.ofSeconds(10);

    private static final ContentType.WithCharset PROMETHEUS_TEXT = MediaTypes
            .customWithOpenCharset("text", "plain", Map.of("version", "0.0.4"), true).toContentType(HttpCharsets.UTF_8);
    private static final ContentType YAML = MediaTypes.customWithOpenCharset("application", "yaml", Map.of(), true)
            .toContentType(HttpCharsets.UTF_8);

    /** A route of the API: its method and path template ({@code /v1/adapters/{name}}). */
    public record Endpoint(String method, String path) {
    }

    private final Synod synod;
    private final HttpSettings settings;
    private final HttpMetrics metrics;
    private final byte[] openApi;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final Route route;

    public Routes(Synod synod, HttpSettings settings, HttpMetrics metrics) {
        this.synod = synod;
        this.settings = settings;
        this.metrics = metrics;
        this.openApi = readOpenApi();
        this.route = build();
    }

    /** The whole tree, with the JSON rejection and exception handling and the request metrics. */
    public Route route() {
        return route;
    }

    /** Every route the tree serves, in the order it declares them. */
    public List<Endpoint> endpoints() {
        return List.copyOf(endpoints);
    }

    private Route build() {
        Route health = endpoint(HttpMethods.GET, "/health", this::health);
        Route ready = endpoint(HttpMethods.GET, "/ready", this::ready);
        Route metricsText = endpoint(HttpMethods.GET, "/metrics", this::metrics);
        Route openApiText = endpoint(HttpMethods.GET, "/openapi.yaml", this::openApi);
        Route answer = endpoint(HttpMethods.POST, "/v1/answer", this::answer);
        Route answerStream = endpoint(HttpMethods.POST, "/v1/answer/stream", this::answerStream);
        Route listAdapters = endpoint(HttpMethods.GET, "/v1/adapters", () -> admin(this::listAdapters));
        Route loadAdapter = endpoint(HttpMethods.POST, "/v1/adapters", () -> admin(this::loadAdapter));
        Function<String, Route> unloadAdapter = endpoint(HttpMethods.DELETE, "/v1/adapters/{name}",
                name -> admin(() -> unloadAdapter(name)));
        Route selectExperts = endpoint(HttpMethods.POST, "/v1/experts/select", () -> admin(this::selectExperts));
        Route find = endpoint(HttpMethods.GET, "/v1/kg/find", this::findEntities);
        Route neighbours = endpoint(HttpMethods.GET, "/v1/kg/neighbours", this::neighbours);

        return measured(() -> handleExceptions(exceptions(), () -> handleRejections(rejections(), () -> concat(
                path("health", () -> health),
                path("ready", () -> ready),
                path("metrics", () -> metricsText),
                path("openapi.yaml", () -> openApiText),
                pathPrefix("v1", () -> concat(
                        path("answer", () -> answer),
                        path(PathMatchers.segment("answer").slash("stream"), () -> answerStream),
                        path("adapters", () -> concat(listAdapters, loadAdapter)),
                        path(PathMatchers.segment("adapters").slash(PathMatchers.segment()), unloadAdapter),
                        path(PathMatchers.segment("experts").slash("select"), () -> selectExperts),
                        path(PathMatchers.segment("kg").slash("find"), () -> find),
                        path(PathMatchers.segment("kg").slash("neighbours"), () -> neighbours)))))));
    }

    /** Declares a route: its method, and the template the request metrics name it by. */
    private Route endpoint(HttpMethod method, String template, Supplier<Route> handler) {
        endpoints.add(new Endpoint(method.name(), template));
        return method(method, () -> tagged(template, handler));
    }

    /** Declares a route with one path parameter. */
    private Function<String, Route> endpoint(HttpMethod method, String template, Function<String, Route> handler) {
        endpoints.add(new Endpoint(method.name(), template));
        return parameter -> method(method, () -> tagged(template, () -> handler.apply(parameter)));
    }

    private Route tagged(String template, Supplier<Route> handler) {
        return mapResponse(response -> response.addAttribute(ROUTE, template), handler);
    }

    /** Times every request, and counts it by method, route template and status. */
    private Route measured(Supplier<Route> inner) {
        return extractRequest(request -> {
            long start = System.nanoTime();
            return mapResponse(response -> {
                metrics.recordRequest(request.method().name(), response.getAttribute(ROUTE).orElse(HttpMetrics.UNMATCHED),
                        response.status().intValue(), System.nanoTime() - start);
                return response.removeAttribute(ROUTE);
            }, inner);
        });
    }

    // ---- operations

    private Route health() {
        return complete(Json.response(StatusCodes.OK, new Views.HealthView("up")));
    }

    private Route ready() {
        Readiness readiness = synod.readiness();
        HttpResponse response = Json.response(readiness.ready() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE,
                Views.ReadinessView.of(readiness, synod.cluster().orElse(null)));
        return complete(readiness.ready() ? response
                : response.addHeader(RetryAfter.create(retryAfterSeconds())));
    }

    private Route metrics() {
        return complete(HttpResponse.create().withEntity(PROMETHEUS_TEXT, metrics.scrape()));
    }

    private Route openApi() {
        return complete(HttpResponse.create().withEntity(YAML, openApi));
    }

    // ---- answers

    private Route answer() {
        return body(bytes -> {
            AnswerRequest request = AnswerRequest.parse(bytes, synod.defaultOptions(), synod.settings().sessions().maxDeadline());
            Duration deadline = deadline(request);
            long start = System.nanoTime();
            return withRequestTimeout(deadline.plus(ANSWER_MARGIN), this::timedOut, () -> completeWithFuture(
                    synod.ask(request.question(), request.options(), deadline, null).handle((answer, failure) ->
                            failure == null
                                    ? Json.response(StatusCodes.OK, Views.AnswerView.of(answer, (System.nanoTime() - start) / 1e6))
                                    : error(ApiError.of(failure)))));
        });
    }

    private Route answerStream() {
        return body(bytes -> {
            AnswerRequest request = AnswerRequest.parse(bytes, synod.defaultOptions(), synod.settings().sessions().maxDeadline());
            Duration deadline = deadline(request);
            return withRequestTimeout(deadline.plus(ANSWER_MARGIN), this::timedOut, () -> extractMaterializer(materializer ->
                    onSuccess(AnswerStream.open(synod, request, deadline, settings, materializer), opening ->
                            opening.refusal() != null ? complete(opening.refusal())
                                    : completeOK(opening.events(), EventStreamMarshalling.toEventStream()))));
        });
    }

    private Duration deadline(AnswerRequest request) {
        return request.deadline() != null ? request.deadline() : synod.settings().sessions().defaultDeadline();
    }

    /** Pekko's own request timeout: a backstop, since Synod answers every question by its deadline. */
    private HttpResponse timedOut(HttpRequest request) {
        return error(new ApiError(StatusCodes.GATEWAY_TIMEOUT, "request_timeout",
                "the server did not answer " + request.method().name() + " " + request.getUri().path() + " in time"));
    }

    // ---- adapter administration

    /** Lets the request through with the right bearer token; 403 when no token is configured, 401 otherwise. */
    private Route admin(Supplier<Route> inner) {
        if (!settings.adminEnabled()) {
            return complete(error(new ApiError(StatusCodes.FORBIDDEN, "admin_disabled", "adapter administration is off:"
                    + " set synod.http.admin-token (or the environment variable SYNOD_ADMIN_TOKEN) to turn it on")));
        }
        return optionalHeaderValueByName("Authorization", header -> {
            Optional<String> token = header.map(String::strip)
                    .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                    .map(value -> value.substring(7).strip());
            if (token.isEmpty()) {
                return complete(unauthorized("this route needs the header 'Authorization: Bearer <admin token>'", Map.of()));
            }
            // compared in constant time, so that the answer's timing tells nothing of the token
            if (!MessageDigest.isEqual(token.get().getBytes(StandardCharsets.UTF_8),
                    settings.adminToken().getBytes(StandardCharsets.UTF_8))) {
                return complete(unauthorized("the bearer token is not the admin token", Map.of("error", "invalid_token")));
            }
            return withRequestTimeout(adminTimeout(), this::timedOut, inner);
        });
    }

    private HttpResponse unauthorized(String message, Map<String, String> parameters) {
        HttpHeader challenge = WWWAuthenticate.create(HttpChallenge.create("Bearer", "synod", parameters));
        return Json.response(new ApiError(StatusCodes.UNAUTHORIZED, "unauthorized", message), List.of(challenge));
    }

    /** An adapter change may wait for the one before it; each is bounded by {@code synod.adapters.timeout}. */
    private Duration adminTimeout() {
        return synod.settings().adapters().timeout().multipliedBy(2).plus(ANSWER_MARGIN.multipliedBy(2));
    }

    private Route listAdapters() {
        return reply(synod.adapters(), Views.AdaptersView::of);
    }

    private Route loadAdapter() {
        return body(bytes -> {
            String name = Json.requiredString(Json.object(bytes, List.of("name")), "name");
            return reply(synod.loadAdapter(name), Views.AdaptersView::of);
        });
    }

    private Route unloadAdapter(String name) {
        return reply(synod.unloadAdapter(name), Views.AdaptersView::of);
    }

    // ---- expert selection

    /** The default M and N of a selection, as the CLI's -M and -N. */
    private static final int DEFAULT_KEPT = 8;
    private static final int DEFAULT_GROUP = 4;

    private Route selectExperts() {
        return body(bytes -> {
            ObjectNode body = Json.object(bytes, List.of("kshot", "candidates", "m", "n"));
            JsonNode kshot = body.get("kshot");
            if (kshot == null || kshot.isNull()) {
                throw ApiError.badRequest("invalid_field", "the field 'kshot' is required: a list of labelled examples,"
                        + " {\"question\", \"answers\": [...]} or {\"prompt\", \"completion\"}");
            }
            List<KShotExample> examples;
            try {
                examples = KShotExamples.of(kshot, "kshot");
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("invalid_field", e.getMessage());
            }
            List<String> candidates = stringList(body, "candidates");
            int m = Json.optionalWholeNumber(body, "m", 1, KShotSelection.MAX_KEPT).orElse((long) DEFAULT_KEPT).intValue();
            int n = Json.optionalWholeNumber(body, "n", 1, m).orElse((long) Math.min(DEFAULT_GROUP, m)).intValue();
            return reply(synod.selectExperts(examples, candidates, m, n), Views.SelectionView::of);
        });
    }

    /** An optional list of strings. @throws ApiError 400 naming the field when it is not one */
    private static List<String> stringList(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        List<String> strings = new ArrayList<>();
        if (value.isArray()) {
            for (JsonNode element : value) {
                if (!element.isTextual()) {
                    strings = null;
                    break;
                }
                strings.add(element.textValue());
            }
        }
        if (!value.isArray() || strings == null) {
            throw ApiError.badRequest("invalid_field", "the field '" + field + "' must be a list of expert names");
        }
        return List.copyOf(strings);
    }

    // ---- graph look-ups

    private Route findEntities() {
        return parameterOptional("q", text -> parameterOptional("limit", limit -> {
            String query = required("q", text, "the text to look up, e.g. q=Lome");
            return reply(synod.findEntities(query, limit("limit", limit, settings.findLimit())),
                    candidates -> Views.FoundView.of(query, candidates));
        }));
    }

    private Route neighbours() {
        return parameterOptional("entity", entity -> parameterOptional("limit", limit -> {
            String name = required("entity", entity, "an entity id or name, e.g. entity=Togo");
            return reply(synod.neighbours(name, limit("limit", limit, settings.neighboursLimit())),
                    Views.NeighbourhoodView::of);
        }));
    }

    private static String required(String parameter, Optional<String> value, String expected) {
        return value.map(String::strip).filter(text -> !text.isEmpty()).orElseThrow(() -> ApiError.badRequest(
                "invalid_parameter", "the query parameter '" + parameter + "' is required: " + expected));
    }

    private static int limit(String parameter, Optional<String> value, int defaultLimit) {
        if (value.isEmpty()) {
            return defaultLimit;
        }
        String expected = "a whole number from 1 to " + KnowledgeSolverActor.MAX_LIMIT;
        try {
            int limit = Integer.parseInt(value.get().strip());
            if (limit >= 1 && limit <= KnowledgeSolverActor.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badRequest("invalid_parameter", "the query parameter '" + parameter + "' is '" + value.get()
                + "'; expected " + expected);
    }

    // ---- plumbing

    /** Completes with the stage's value as JSON, or with its failure as an error. */
    private <T> Route reply(CompletionStage<T> stage, Function<T, Object> view) {
        return completeWithFuture(stage.handle((value, failure) ->
                failure == null ? Json.response(StatusCodes.OK, view.apply(value)) : error(ApiError.of(failure))));
    }

    /**
     * Reads the request body, at most {@code synod.http.max-body-bytes}: a longer one is refused (413) from its
     * Content-Length before it is read, or as soon as it passes the limit.
     */
    private Route body(Function<byte[], Route> inner) {
        return extractRequestEntity(entity -> {
            OptionalLong length = entity.getContentLengthOption();
            if (length.isPresent() && length.getAsLong() > settings.maxBodyBytes()) {
                throw bodyTooLarge(length.getAsLong());
            }
            return extractMaterializer(materializer -> onSuccess(
                    entity.withSizeLimit(settings.maxBodyBytes()).toStrict(BODY_TIMEOUT_MILLIS, materializer),
                    strict -> inner.apply(strict.getData().toArray())));
        });
    }

    private ApiError bodyTooLarge(long length) {
        return ApiError.tooLarge("payload_too_large", "the request body is " + (length < 0 ? "longer than" : length
                + " bytes; at most") + " " + settings.maxBodyBytes() + " bytes are accepted (synod.http.max-body-bytes)");
    }

    private HttpResponse error(ApiError error) {
        if (error.status().intValue() >= 500 && error.status().intValue() != 503 && error.status().intValue() != 504) {
            log.warn("answering {}: {}", error.code(), error.getMessage());
        }
        return Json.response(error, retryAfterSeconds());
    }

    private long retryAfterSeconds() {
        return Math.max(1, settings.retryAfter().toSeconds());
    }

    private ExceptionHandler exceptions() {
        return ExceptionHandler.newBuilder()
                .match(ApiError.class, error -> complete(error(error)))
                .matchAny(failure -> {
                    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                        if (cause instanceof EntityStreamSizeException) {
                            return complete(error(bodyTooLarge(-1)));
                        }
                        if (cause instanceof ApiError error) {
                            return complete(error(error));
                        }
                    }
                    log.error("a request failed inside the server", failure);
                    return complete(error(new ApiError(StatusCodes.INTERNAL_SERVER_ERROR, "internal_error",
                            "the request failed inside the server: " + failure)));
                })
                .build();
    }

    /** Unknown routes 404, wrong methods 405 with Allow, and Pekko's other rejections, all as JSON errors. */
    private RejectionHandler rejections() {
        return RejectionHandler.newBuilder()
                .handleAll(MethodRejection.class, rejected -> {
                    HttpMethod[] allowed = rejected.stream().map(MethodRejection::supported).distinct()
                            .toArray(HttpMethod[]::new);
                    String names = String.join(", ", Arrays.stream(allowed).map(HttpMethod::name).toList());
                    return extractRequest(request -> complete(Json.response(new ApiError(StatusCodes.METHOD_NOT_ALLOWED,
                            "method_not_allowed", request.method().name() + " is not allowed on " + request.getUri().path()
                            + "; allowed: " + names), List.of(Allow.create(allowed)))));
                })
                .handleNotFound(extractRequest(request -> complete(error(new ApiError(StatusCodes.NOT_FOUND, "not_found",
                        "no route " + request.method().name() + " " + request.getUri().path()
                                + "; GET /openapi.yaml describes the API")))))
                .build()
                .withFallback(RejectionHandler.defaultHandler())
                .mapRejectionResponse(Routes::asJsonError);
    }

    /** Pekko's default rejection answers are plain text: the same, as a JSON error. */
    private static HttpResponse asJsonError(HttpResponse response) {
        if (response.entity().getContentType().equals(ContentTypes.APPLICATION_JSON)
                || !(response.entity() instanceof HttpEntity.Strict strict)) {
            return response;
        }
        int status = response.status().intValue();
        String code = switch (status) {
            case 400 -> "invalid_request";
            case 404 -> "not_found";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> response.status().reason().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        };
        String message = strict.getData().utf8String().strip();
        return Json.response(new ApiError(response.status(), code, message.isEmpty() ? response.status().reason() : message),
                List.copyOf(toList(response.getHeaders())));
    }

    private static List<HttpHeader> toList(Iterable<HttpHeader> headers) {
        List<HttpHeader> list = new ArrayList<>();
        headers.forEach(list::add);
        return list;
    }

    private static byte[] readOpenApi() {
        try (InputStream in = Routes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + OPENAPI_RESOURCE + " is missing from the http module");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
