// The JSON shapes of the API, as records: what each route answers (docs/http.md and openapi.yaml show them).
package io.synod.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.synod.actors.Readiness;
import io.synod.actors.cluster.ClusterStatus;
import io.synod.actors.adapters.AdapterManager;
import io.synod.actors.knowledge.KnowledgeSolverActor;
import io.synod.adapters.experts.KShotSelection;
import io.synod.decomposer.reasoning.Answer;
import io.synod.kg.KnowledgeGraph;
import io.synod.solvers.experts.ExpertSelector;
import io.synod.solvers.reasoning.TraceEvent;
import io.synod.solvers.reasoning.Value;

import java.util.List;
import java.util.Map;

/**
 * The response bodies, written by {@link Json} with snake_case names ({@code durationMs} is {@code duration_ms}).
 * They copy what the routes need from the embedded API's types, so that a change there does not change the API
 * unnoticed.
 */
public final class Views {

    private Views() {
    }

    /**
     * An answer: {@code answer} is the items joined with ", " or "unknown" ({@code known} false, {@code reason}
     * says why); {@code program} the DecomP program when one ran; {@code paths} the graph paths walked;
     * {@code trace} every step in order.
     */
    public record AnswerView(String question, String answer, boolean known, List<ValueView> values, String reason,
                             String strategy, String program, List<String> paths, List<StepView> trace,
                             TimingsView timings) {

        public static AnswerView of(Answer answer, double totalMillis) {
            return new AnswerView(answer.question(), answer.text(), answer.known(),
                    answer.values().stream().map(ValueView::of).toList(), answer.reason(), answer.strategy().label(),
                    answer.program(), answer.paths(), steps(answer.trace()),
                    new TimingsView(answer.millis(), totalMillis));
        }
    }

    /** @param id the graph node the item names; null for literals, numbers and model text */
    public record ValueView(String text, String id, List<String> aliases) {

        static ValueView of(Value value) {
            return new ValueView(value.text(), value.id(), value.aliases());
        }
    }

    /**
     * @param solveMs the reasoning itself, in the solver
     * @param totalMs from the request's arrival to the answer: planning, waiting for a solver, solving
     */
    public record TimingsView(double solveMs, double totalMs) {
    }

    /**
     * One step of the reasoning: {@code parent} the step that caused it (null at the top), {@code handler} what
     * ran it (kg, lm, count, ...), {@code adapter} the expert the model used (null when none), {@code startMs}
     * since the question started, {@code error} null when the step succeeded, {@code path} the graph hops of a
     * walk.
     */
    public record StepView(String id, String parent, String handler, String input, String output, String adapter,
                           double startMs, double durationMs, String error, List<String> path) {

        public static StepView of(TraceEvent event) {
            return new StepView(event.id(), event.parent(), event.handler(), event.input(), event.output(),
                    event.adapter(), event.startMillis(), event.durationMillis(), event.error(), event.path());
        }
    }

    static List<StepView> steps(List<TraceEvent> events) {
        return events.stream().map(StepView::of).toList();
    }

    /** The body of every error: {@code {"error": {...}}}. */
    public record ErrorView(ErrorDetail error) {

        public static ErrorView of(ApiError error) {
            return new ErrorView(new ErrorDetail(error.code(), error.getMessage(), steps(error.trace())));
        }
    }

    /** @param trace the steps a question recorded before it failed; left out when there are none */
    public record ErrorDetail(String code, String message,
                              @JsonInclude(JsonInclude.Include.NON_EMPTY) List<StepView> trace) {
    }

    /** GET /health. */
    public record HealthView(String status) {
    }

    /** GET /ready: the loading progress; {@code error} is set (and the status 503) until ready. */
    public record ReadinessView(boolean ready, boolean graphLoaded, int solversReady, int solvers, String failure,
                                @JsonInclude(JsonInclude.Include.NON_NULL) ErrorDetail error,
                                @JsonInclude(JsonInclude.Include.NON_NULL) ClusterStatus cluster) {

        /** The readiness, and in a cluster what this node sees of it (members, reachable solvers, adapters per node). */
        static ReadinessView of(Readiness readiness, ClusterStatus cluster) {
            ReadinessView view = of(readiness);
            return new ReadinessView(view.ready(), view.graphLoaded(), view.solversReady(), view.solvers(), view.failure(),
                    view.error(), cluster);
        }

        static ReadinessView of(Readiness readiness) {
            ErrorDetail error = null;
            if (!readiness.ready()) {
                error = readiness.failure() != null
                        ? new ErrorDetail("unavailable", "loading failed: " + readiness.failure(), List.of())
                        : new ErrorDetail("not_ready", "still loading: graph " + (readiness.graphLoaded() ? "loaded" : "loading")
                                + ", " + readiness.solversReady() + " of " + readiness.solvers() + " solvers ready", List.of());
            }
            return new ReadinessView(readiness.ready(), readiness.graphLoaded(), readiness.solversReady(),
                    readiness.solvers(), readiness.failure(), error, null);
        }
    }

    /** The adapters resident in the solvers, and those the catalogue directory offers to load by name. */
    public record AdaptersView(List<String> resident, List<String> available, String catalogue) {

        static AdaptersView of(AdapterManager.Listing listing) {
            return new AdaptersView(listing.resident(), listing.available(), listing.catalogue());
        }
    }

    /**
     * POST /v1/experts/select: every candidate's scores and ranks ({@code candidates}, best summed rank first, then
     * those that failed with their error), the groups considered (best first), the chosen group and why.
     */
    public record SelectionView(int examples, int m, int n, List<String> chosen, String reason,
                                List<CandidateScoreView> candidates, List<GroupView> groups,
                                Map<String, Map<String, Double>> similarity, long elapsedMs) {

        static SelectionView of(ExpertSelector.Report report) {
            KShotSelection.Selection selection = report.selection();
            return new SelectionView(selection.examples(), selection.m(), selection.n(), selection.experts(),
                    selection.reason(), selection.table().stream().map(CandidateScoreView::of).toList(),
                    selection.groups().stream().map(GroupView::of).toList(), selection.similarity(), report.millis());
        }
    }

    /**
     * One candidate: exact match (0 to 1) and perplexity on the examples, their ranks (1 is best) and sum, its
     * place, whether it was kept (top M) and chosen; {@code error} (and null scores) when it failed to load or run.
     */
    public record CandidateScoreView(String name, Double exactMatch, Double perplexity, int exactMatchRank,
                                     int perplexityRank, int summedRank, int position, boolean kept, boolean chosen,
                                     @JsonInclude(JsonInclude.Include.NON_NULL) String error) {

        static CandidateScoreView of(KShotSelection.Row row) {
            return new CandidateScoreView(row.name(), finite(row.exactMatch()), finite(row.perplexity()),
                    row.exactMatchRank(), row.perplexityRank(), row.summedRank(), row.position(), row.kept(),
                    row.chosen(), row.error());
        }

        /** JSON has no NaN or infinity: a score that is not a number is null. */
        private static Double finite(double value) {
            return Double.isFinite(value) ? value : null;
        }
    }

    /** A group of N kept candidates: mean summed rank, mean pairwise cosine of their adapters, and the ranks. */
    public record GroupView(List<String> experts, double meanSummedRank, double meanSimilarity, int qualityRank,
                            int diversityRank, int combinedRank) {

        static GroupView of(KShotSelection.Group group) {
            return new GroupView(group.experts(), group.meanSummedRank(), group.meanSimilarity(), group.qualityRank(),
                    group.diversityRank(), group.combinedRank());
        }
    }

    /** GET /v1/kg/find: the entities matching {@code query}, best first. */
    public record FoundView(String query, List<CandidateView> entities) {

        static FoundView of(String query, List<KnowledgeGraph.Candidate> candidates) {
            return new FoundView(query, candidates.stream().map(CandidateView::of).toList());
        }
    }

    /** @param score 1.0 for an exact match of a label or alias, less for a fuzzy one */
    public record CandidateView(EntityView entity, String matchedLabel, double score, boolean exact) {

        static CandidateView of(KnowledgeGraph.Candidate candidate) {
            return new CandidateView(EntityView.of(candidate.entity()), candidate.matchedLabel(), candidate.score(),
                    candidate.exact());
        }
    }

    public record EntityView(String id, String label, List<String> aliases, List<String> types) {

        static EntityView of(KnowledgeGraph.Entity entity) {
            return new EntityView(entity.id(), entity.label(), entity.aliases(), entity.types());
        }
    }

    /** GET /v1/kg/neighbours: an entity's outgoing edges ({@code out}: it is the subject) and incoming ones. */
    public record NeighbourhoodView(EntityView entity, EdgesView out, EdgesView in) {

        static NeighbourhoodView of(KnowledgeSolverActor.Neighbourhood neighbourhood) {
            return new NeighbourhoodView(EntityView.of(neighbourhood.entity()),
                    new EdgesView(neighbourhood.outTotal(), neighbourhood.outEdges().stream().map(EdgeView::of).toList()),
                    new EdgesView(neighbourhood.inTotal(), neighbourhood.inEdges().stream().map(EdgeView::of).toList()));
        }
    }

    /** @param total the edges there are; {@code edges} holds at most the limit asked for */
    public record EdgesView(int total, List<EdgeView> edges) {
    }

    /** An edge: the relation (its short name and label) and the node at the other end. */
    public record EdgeView(String relation, String relationLabel, NodeView other) {

        static EdgeView of(KnowledgeGraph.Edge edge) {
            return new EdgeView(edge.relation().name(), edge.relation().label(),
                    new NodeView(edge.other().id(), edge.other().label(), edge.other().literal()));
        }
    }

    /** @param literal true for a value (a number, a date, a string), false for an entity */
    public record NodeView(String id, String label, boolean literal) {
    }
}
