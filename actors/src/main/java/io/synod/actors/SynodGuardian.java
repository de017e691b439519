// The root actor of a Synod: spawns the actors, loads the graph on the blocking dispatcher, owns the graph.
package io.synod.actors;

import io.synod.actors.adapters.AdapterManager;
import io.synod.actors.decomposer.DecomposerActor;
import io.synod.actors.knowledge.KnowledgeSolverActor;
import io.synod.actors.routing.ExpertRouting;
import io.synod.actors.session.QuestionSession;
import io.synod.actors.session.SessionManager;
import io.synod.actors.session.TraceTopic;
import io.synod.actors.solver.OnDemandAdapters;
import io.synod.actors.solver.ReasonerSolver;
import io.synod.actors.solver.SolverFactory;
import io.synod.actors.solver.SolverPool;
import io.synod.kg.KnowledgeGraph;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * The guardian of a Synod's actor system. At start it spawns the trace topic, the decomposer (with the
 * expert routing), the solver pool, the knowledge solver, the adapter manager and the session manager, and loads the
 * graph on the blocking dispatcher; once loaded, the graph goes to the knowledge solver and the pool (which
 * then starts its solvers). Questions asked meanwhile wait in the pool's bounded queue. The guardian closes the
 * graph when it stops, after its children (and so the solvers that walk the graph) have stopped.
 */
public final class SynodGuardian extends AbstractBehavior<SynodGuardian.Command> {

    public sealed interface Command {
    }

    /** Which actors serve the embedded API. */
    public record GetServices(ActorRef<Services> replyTo) implements Command, SynodMessage {
    }

    /** Local: it holds the trace topic's facade, which counts subscribers in this JVM. */
    public record Services(ActorRef<SessionManager.Command> sessions, ActorRef<KnowledgeSolverActor.Command> knowledge,
                           ActorRef<AdapterManager.Command> adapters, TraceTopic traces)
            implements NoSerializationVerificationNeeded {
    }

    private record GraphLoaded(KnowledgeGraph graph) implements Command, NoSerializationVerificationNeeded {
    }

    private record GraphFailed(String reason) implements Command, SynodMessage {
    }

    public static Behavior<Command> create(SynodSettings settings, SolverFactory solvers, ExpertRouting routing,
                                           RuntimeStatus status) {
        return Behaviors.setup(context -> new SynodGuardian(context, settings, solvers, routing, status));
    }

    private final SynodSettings settings;
    private final RuntimeStatus status;
    private final Services services;
    private final ActorRef<SolverPool.Command> pool;
    private final CompletableFuture<KnowledgeGraph> loading;
    private KnowledgeGraph graph;

    private SynodGuardian(ActorContext<Command> context, SynodSettings settings, SolverFactory solvers,
                          ExpertRouting routing, RuntimeStatus status) {
        super(context);
        this.settings = settings;
        this.status = status;
        DispatcherSelector blocking = DispatcherSelector.fromConfig(SynodSettings.BLOCKING_DISPATCHER);
        SupervisorStrategy restart = SupervisorStrategy.restart();

        TraceTopic traces = new TraceTopic(context.spawn(
                Topic.create(QuestionSession.TraceRecorded.class, "synod-trace"), "traces"));
        Supplier<OnDemandAdapters> onDemand = () -> settings.cluster().enabled()
                ? new OnDemandAdapters(catalogue(settings), settings.solver().onDemandAdapters()) : OnDemandAdapters.off();
        pool = context.spawn(SolverPool.create(settings, solvers, status, onDemand), "solver-pool");
        ActorRef<DecomposerActor.Command> decomposer = context.spawn(Behaviors.supervise(
                DecomposerActor.create(routing, pool)).onFailure(restart), "decomposer");
        ActorRef<KnowledgeSolverActor.Command> knowledge = context.spawn(KnowledgeSolverActor.create(),
                "knowledge-solver", blocking);
        ActorRef<AdapterManager.Command> adapters = context.spawn(Behaviors.supervise(
                AdapterManager.create(pool, catalogue(settings), settings.adapters().timeout())).onFailure(restart),
                "adapter-manager", blocking);
        ActorRef<SessionManager.Command> sessions = context.spawn(Behaviors.supervise(SessionManager.create(
                settings.sessions(), new QuestionSession.Services(decomposer, pool, traces, status))).onFailure(restart),
                "sessions");
        services = new Services(sessions, knowledge, adapters, traces);

        Executor executor = context.getSystem().dispatchers().lookup(blocking);
        loading = CompletableFuture.supplyAsync(() -> loadGraph(settings.graph().source()), executor);
        context.pipeToSelf(loading, (loaded, failure) -> loaded != null ? new GraphLoaded(loaded)
                : new GraphFailed("the knowledge graph (synod.graph.source = " + settings.graph().source()
                        + ") failed to load: " + cause(failure)));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(GetServices.class, get -> {
                    get.replyTo().tell(services);
                    return this;
                })
                .onMessage(GraphLoaded.class, this::onGraphLoaded)
                .onMessage(GraphFailed.class, this::onGraphFailed)
                .onSignal(PostStop.class, signal -> onPostStop())
                .build();
    }

    private Behavior<Command> onGraphLoaded(GraphLoaded loaded) {
        graph = loaded.graph();
        getContext().getLog().info("knowledge graph loaded: {} ({} entities) in {} ms", graph,
                graph.stats().entities(), graph.stats().loadTime().toMillis());
        status.graphLoaded();
        services.knowledge().tell(new KnowledgeSolverActor.GraphReady(graph));
        pool.tell(new SolverPool.Start(graph));
        return this;
    }

    private Behavior<Command> onGraphFailed(GraphFailed failed) {
        getContext().getLog().error("{}", failed.reason());
        status.loadFailed(failed.reason());
        services.knowledge().tell(new KnowledgeSolverActor.GraphUnavailable(failed.reason()));
        pool.tell(new SolverPool.Unavailable(failed.reason()));
        return this;
    }

    private Behavior<Command> onPostStop() {
        if (graph != null) {
            graph.close();
        } else {
            // stopped while loading: close the graph when the load ends
            loading.thenAccept(KnowledgeGraph::close);
        }
        return this;
    }

    /** "bundled", a graph file, or a TDB2 directory. */
    static KnowledgeGraph loadGraph(String source) {
        return source.equals("bundled") ? KnowledgeGraph.bundled() : KnowledgeGraph.open(Path.of(source));
    }

    /** The adapter catalogue: synod.adapters.directory, or the served model's adapters/ directory. */
    private static Supplier<Path> catalogue(SynodSettings settings) {
        return () -> settings.adapters().directory().isEmpty()
                ? ReasonerSolver.modelDirectory(settings.model()).resolve("adapters")
                : Path.of(settings.adapters().directory());
    }

    private static String cause(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
