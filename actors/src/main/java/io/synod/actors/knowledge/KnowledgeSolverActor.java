// The knowledge solver actor: serves look-ups in the loaded graph (find an entity, an entity's neighbours).
package io.synod.actors.knowledge;

import io.synod.actors.Failure;
import io.synod.actors.SynodMessage;
import io.synod.kg.KnowledgeGraph;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Answers graph look-ups: entities whose label matches a text ({@link KnowledgeGraph#find}) and the edges of an
 * entity ({@link KnowledgeGraph#outEdges}, {@link KnowledgeGraph#inEdges}). Runs on the blocking dispatcher (a
 * TDB2 graph reads from disk). Before the graph is loaded it answers {@link Failure.Kind#NOT_READY}; when the
 * graph failed to load, {@link Failure.Kind#UNAVAILABLE}. The walks of questions read the same graph inside
 * the solvers; this actor serves callers that browse the graph (the HTTP {@code /v1/kg} routes).
 */
public final class KnowledgeSolverActor extends AbstractBehavior<KnowledgeSolverActor.Command> {

    /** The most entities or edges one look-up returns. */
    public static final int MAX_LIMIT = 1000;

    public sealed interface Command {
    }

    /** Entities whose label or alias matches {@code text}, best first, at most {@code limit}. */
    public record FindEntities(String text, int limit, ActorRef<Reply> replyTo) implements Command, SynodMessage {
    }

    /**
     * The edges of {@code entity} (an id, or a text resolved to its best match), at most {@code limit} in each
     * direction.
     */
    public record GetNeighbours(String entity, int limit, ActorRef<Reply> replyTo) implements Command, SynodMessage {
    }

    /** The graph is loaded. Local: it carries the graph itself. */
    public record GraphReady(KnowledgeGraph graph) implements Command, NoSerializationVerificationNeeded {
    }

    /** The graph failed to load. */
    public record GraphUnavailable(String reason) implements Command, SynodMessage {
    }

    public sealed interface Reply extends SynodMessage {
    }

    public record EntitiesFound(String text, List<KnowledgeGraph.Candidate> candidates) implements Reply {
        public EntitiesFound {
            candidates = List.copyOf(candidates);
        }
    }

    /**
     * An entity's edges: outgoing (the entity is the subject) and incoming, each cut to the limit asked for;
     * {@code outTotal} and {@code inTotal} count them all.
     */
    public record Neighbourhood(KnowledgeGraph.Entity entity, List<KnowledgeGraph.Edge> outEdges, int outTotal,
                                List<KnowledgeGraph.Edge> inEdges, int inTotal) implements Reply {
        public Neighbourhood {
            outEdges = List.copyOf(outEdges);
            inEdges = List.copyOf(inEdges);
        }
    }

    public record LookupFailed(Failure failure) implements Reply {
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(KnowledgeSolverActor::new);
    }

    private KnowledgeGraph graph;
    private String unavailable;

    private KnowledgeSolverActor(ActorContext<Command> context) {
        super(context);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(FindEntities.class, find -> answering(find.replyTo(), () -> onFindEntities(find)))
                .onMessage(GetNeighbours.class, get -> answering(get.replyTo(), () -> onGetNeighbours(get)))
                .onMessage(GraphReady.class, ready -> {
                    graph = ready.graph();
                    return this;
                })
                .onMessage(GraphUnavailable.class, failed -> {
                    unavailable = failed.reason();
                    return this;
                })
                .build();
    }

    private Behavior<Command> onFindEntities(FindEntities find) {
        Optional<Failure> refused = check(find.text(), "text", find.limit());
        if (refused.isPresent()) {
            find.replyTo().tell(new LookupFailed(refused.get()));
        } else {
            find.replyTo().tell(new EntitiesFound(find.text(), graph.find(find.text().strip(), find.limit())));
        }
        return this;
    }

    private Behavior<Command> onGetNeighbours(GetNeighbours get) {
        Optional<Failure> refused = check(get.entity(), "entity", get.limit());
        if (refused.isPresent()) {
            get.replyTo().tell(new LookupFailed(refused.get()));
            return this;
        }
        Optional<KnowledgeGraph.Entity> entity = graph.resolve(get.entity().strip());
        if (entity.isEmpty()) {
            get.replyTo().tell(new LookupFailed(Failure.of(Failure.Kind.NOT_FOUND,
                    "no entity of the graph is named or identified by '" + get.entity().strip() + "'")));
            return this;
        }
        String id = entity.get().id();
        List<KnowledgeGraph.Edge> out = graph.outEdges(id);
        List<KnowledgeGraph.Edge> in = graph.inEdges(id);
        get.replyTo().tell(new Neighbourhood(entity.get(), out.subList(0, Math.min(get.limit(), out.size())), out.size(),
                in.subList(0, Math.min(get.limit(), in.size())), in.size()));
        return this;
    }

    /** Runs a look-up; one that throws is answered with the failure, and the actor keeps its graph. */
    private Behavior<Command> answering(ActorRef<Reply> replyTo, Supplier<Behavior<Command>> lookUp) {
        try {
            return lookUp.get();
        } catch (RuntimeException e) {
            getContext().getLog().error("a graph look-up failed", e);
            replyTo.tell(new LookupFailed(Failure.of(Failure.Kind.SOLVER_FAILED, "the graph look-up failed: " + e)));
            return this;
        }
    }

    /** Why a look-up cannot run (graph not loaded, bad arguments), if it cannot. */
    private Optional<Failure> check(String text, String what, int limit) {
        if (graph == null) {
            return Optional.of(unavailable != null ? Failure.of(Failure.Kind.UNAVAILABLE, unavailable)
                    : Failure.of(Failure.Kind.NOT_READY, "the knowledge graph is still loading"));
        }
        if (text == null || text.isBlank()) {
            return Optional.of(Failure.of(Failure.Kind.INVALID_REQUEST, "the " + what + " to look up is empty"));
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            return Optional.of(Failure.of(Failure.Kind.INVALID_REQUEST, "the limit is " + limit
                    + "; it must be between 1 and " + MAX_LIMIT));
        }
        return Optional.empty();
    }
}
