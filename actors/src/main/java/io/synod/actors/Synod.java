// The embedded Java API: start Synod in the application's JVM, ask questions, watch traces, manage adapters.
package io.synod.actors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.synod.actors.adapters.AdapterManager;
import io.synod.actors.cluster.ClusterSettings;
import io.synod.actors.cluster.ClusterStatus;
import io.synod.actors.knowledge.KnowledgeSolverActor;
import io.synod.actors.routing.ExpertRouting;
import io.synod.actors.routing.FixedExperts;
import io.synod.actors.routing.GatedExperts;
import io.synod.actors.session.QuestionSession;
import io.synod.actors.session.SessionManager;
import io.synod.actors.solver.ReasonerSolver;
import io.synod.actors.solver.SolverFactory;
import io.synod.adapters.experts.KShotExample;
import io.synod.decomposer.reasoning.Answer;
import io.synod.decomposer.reasoning.AskOptions;
import io.synod.kg.KnowledgeGraph;
import io.synod.solvers.experts.ExpertSelector;
import io.synod.solvers.reasoning.TraceEvent;

import java.time.Duration;
import java.util.List;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synod embedded in an application: an actor system with the shipped pipeline (or the solvers a caller
 * injects), configured with HOCON.
 *
 * <pre>{@code
 * try (Synod synod = Synod.start()) {
 *     Answer answer = synod.ask("Which currency is used in the country whose capital is Lomé?")
 *             .toCompletableFuture().join();
 *     System.out.println(answer.text());   // West African CFA franc
 * }
 * }</pre>
 *
 * <p><b>Starting.</b> {@link #start()} returns at once; the graph and the model load in the background
 * ({@link #readiness()}, {@link #whenReady()}). Questions asked meanwhile wait for the model (within their
 * deadline and the pool's queue bound).
 *
 * <p><b>Questions.</b> Each {@code ask} returns a stage that completes exactly once: with the {@link Answer}
 * (which may be "unknown", with its reason), or exceptionally with a {@link SynodException} whose
 * {@link SynodException#kind() kind} says what failed: {@code INVALID_QUESTION}, {@code OVERLOADED} (refused
 * at once: too many questions in flight or waiting), {@code DEADLINE_EXCEEDED} (with the partial trace),
 * {@code SOLVER_FAILED}, {@code UNAVAILABLE} (closed, or loading failed). Stage callbacks attached without an
 * executor, trace listeners and subscribers run on an actor thread: keep them short, or hand the work on.
 *
 * <p><b>Threads.</b> All methods may be called from any thread. {@link #close()} stops accepting questions,
 * lets those in flight finish within {@code synod.shutdown.drain-timeout}, answers the rest with an error, and
 * stops the actor system.
 */
public final class Synod implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Synod.class);

    /** How long past a drain's own timeout {@link #close()} waits for the session manager's reply. */
    private static final Duration BACKSTOP_MARGIN = Duration.ofSeconds(10);

    private final ActorSystem<SynodGuardian.Command> system;
    private final SynodSettings settings;
    private final RuntimeStatus status;
    private final SynodGuardian.Services services;
    private final List<BiConsumer<String, TraceEvent>> subscribers = new CopyOnWriteArrayList<>();
    /** Hands the topic's events to {@link #subscribers}; subscribed to the topic only while there are some. */
    private final ActorRef<QuestionSession.TraceRecorded> subscriberFanOut;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The stages not yet completed: failed should the actor system stop before their session starts. */
    private final Set<CompletableFuture<Answer>> open = ConcurrentHashMap.newKeySet();
    private volatile boolean terminated;

    private Synod(ActorSystem<SynodGuardian.Command> system, SynodSettings settings, RuntimeStatus status,
                  SynodGuardian.Services services) {
        this.system = system;
        this.settings = settings;
        this.status = status;
        this.services = services;
        this.subscriberFanOut = system.systemActorOf(Behaviors.receive(QuestionSession.TraceRecorded.class)
                .onMessage(QuestionSession.TraceRecorded.class, this::publish)
                .build(), "trace-subscribers", Props.empty());
        system.getWhenTerminated().whenComplete((done, failure) -> {
            terminated = true;
            failOpen();
        });
    }

    /** Starts with {@code ConfigFactory.load()}: application.conf over reference.conf. */
    public static Synod start() {
        return start(ConfigFactory.load());
    }

    /**
     * Starts with the shipped pipeline: the model of {@code synod.model}, the graph of {@code synod.graph}.
     *
     * @param config settings; keys it lacks come from reference.conf (so {@code ConfigFactory.parseString(
     *               "synod.solver.pool-size = 2")} is enough)
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public static Synod start(Config config) {
        Config complete = complete(config);
        SynodSettings settings = SynodSettings.from(complete);
        return start(complete, settings, ReasonerSolver.factory(settings.model()));
    }

    /**
     * Starts with solvers made by {@code solvers} instead of the shipped model (tests inject failing or slow
     * solvers this way; another engine could too). The graph is still loaded from {@code synod.graph}.
     */
    public static Synod start(Config config, SolverFactory solvers) {
        Config complete = complete(config);
        return start(complete, SynodSettings.from(complete), solvers);
    }

    private static Synod start(Config config, SynodSettings settings, SolverFactory solvers) {
        ClusterSettings cluster = settings.cluster();
        // the front of a cluster runs no solver: it is ready once it reaches one on another node
        RuntimeStatus status = new RuntimeStatus(cluster.enabled() && !cluster.role().solvers() ? 1
                : settings.solver().poolSize());
        ExpertRouting routing = settings.experts().routed() ? new GatedExperts(settings.experts().routing())
                : new FixedExperts(settings.experts().experts());
        ActorSystem<SynodGuardian.Command> system = ActorSystem.create(SynodGuardian.create(settings, solvers,
                routing, status), ClusterSettings.SYSTEM_NAME, cluster.pekkoConfig().withFallback(config));
        if (cluster.enabled() && cluster.seedNodes().isEmpty()) {
            // no seed to join through: this node is the first, and forms the cluster
            Cluster node = Cluster.get(system);
            node.manager().tell(Join.create(node.selfMember().address()));
        }
        try {
            SynodGuardian.Services services = AskPattern.ask(system, SynodGuardian.GetServices::new,
                    Duration.ofSeconds(10), system.scheduler()).toCompletableFuture().get(20, TimeUnit.SECONDS);
            return new Synod(system, settings, status, services);
        } catch (ExecutionException | TimeoutException e) {
            system.terminate();
            throw new IllegalStateException("Synod's actors did not start: " + e, e);
        } catch (InterruptedException e) {
            system.terminate();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Synod's actors started", e);
        }
    }

    /**
     * {@code config} over reference.conf, with the default dispatcher of Synod's own actor system (this one only)
     * sized by {@code synod.dispatcher.threads}.
     */
    private static Config complete(Config config) {
        Config complete = config.withFallback(ConfigFactory.defaultReference()).resolve();
        int threads = SynodSettings.dispatcherThreads(complete);
        String pool = "pekko.actor.default-dispatcher.fork-join-executor.";
        return ConfigFactory.parseMap(Map.of(pool + "parallelism-min", threads, pool + "parallelism-max", threads))
                .withFallback(complete);
    }

    /** Asks with the options of {@code synod.ask} and the default deadline. */
    public CompletionStage<Answer> ask(String question) {
        return ask(question, settings.defaultOptions(), null, null);
    }

    /** Asks with the default deadline ({@code synod.sessions.default-deadline}). */
    public CompletionStage<Answer> ask(String question, AskOptions options) {
        return ask(question, options, null, null);
    }

    /** Asks with the default deadline; {@code listener} gets every trace event as it is recorded. */
    public CompletionStage<Answer> ask(String question, AskOptions options, Consumer<TraceEvent> listener) {
        return ask(question, options, null, listener);
    }

    /**
     * Asks a question.
     *
     * @param options  how to answer; {@code null} for the options of {@code synod.ask}
     * @param deadline how long the answer may take; {@code null} for {@code synod.sessions.default-deadline}, at
     *                 most {@code synod.sessions.max-deadline}
     * @param listener gets every trace event of this question, in order, before the stage completes;
     *                 {@code null} for none
     * @return a stage completing once, with the answer or with a {@link SynodException}
     */
    public CompletionStage<Answer> ask(String question, AskOptions options, Duration deadline,
                                       Consumer<TraceEvent> listener) {
        AskOptions chosen = options == null ? settings.defaultOptions() : options;
        Duration timeout = deadline == null ? settings.sessions().defaultDeadline() : deadline;
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        if (closed.get()) {
            status.questionAsked();
            status.questionRefused();
            answer.completeExceptionally(unavailable("this Synod is closed"));
            return answer;
        }
        // the session calls the Caller on its own thread and answers once, by the deadline, even when it is stopped;
        // a question that never reaches the session manager (the actor system stopped first) is failed here
        open.add(answer);
        answer.whenComplete((result, failure) -> open.remove(answer));
        services.sessions().tell(new SessionManager.AskInProcess(question, chosen, timeout, new Caller(answer, listener)));
        if (terminated) {
            answer.completeExceptionally(unavailable("this Synod is closed"));
        }
        return answer;
    }

    /** Fails the stages still open once the actor system has stopped: their questions will not be answered. */
    private void failOpen() {
        for (CompletableFuture<Answer> answer : open) {
            answer.completeExceptionally(unavailable("Synod stopped before the question was answered"));
        }
    }

    /** The options {@link #ask(String)} uses ({@code synod.ask}). */
    public AskOptions defaultOptions() {
        return settings.defaultOptions();
    }

    /** Every question's trace events, as they are recorded; close the subscription to stop. */
    public Subscription subscribe(Consumer<TraceEvent> subscriber) {
        return subscribeWithSessionIds((sessionId, event) -> subscriber.accept(event));
    }

    /** Every question's trace events with the id of the question's session, as they are recorded. */
    public Subscription subscribeWithSessionIds(BiConsumer<String, TraceEvent> subscriber) {
        synchronized (subscribers) {
            subscribers.add(subscriber);
            if (subscribers.size() == 1) {
                // the first: from now on sessions publish, and the topic sends this Synod's fan-out every event
                services.traces().subscribe(subscriberFanOut);
            }
        }
        return () -> {
            synchronized (subscribers) {
                if (subscribers.remove(subscriber) && subscribers.isEmpty()) {
                    services.traces().unsubscribe(subscriberFanOut);
                }
            }
        };
    }

    /** The adapters resident in the solvers and those the catalogue offers. */
    public CompletionStage<AdapterManager.Listing> adapters() {
        return adapterRequest(AdapterManager.ListAdapters::new);
    }

    /** Loads the catalogue's adapter {@code name} into every solver's model. */
    public CompletionStage<AdapterManager.Listing> loadAdapter(String name) {
        return adapterRequest(replyTo -> new AdapterManager.LoadAdapter(name, replyTo));
    }

    /** Unloads the resident adapter {@code name} from every solver's model. */
    public CompletionStage<AdapterManager.Listing> unloadAdapter(String name) {
        return adapterRequest(replyTo -> new AdapterManager.UnloadAdapter(name, replyTo));
    }

    /**
     * K-shot expert selection (Yang et al. 2024) on one solver's model: every candidate is measured on the examples
     * (exact match of its generated output, perplexity of the gold output), the top {@code m} by summed rank are
     * kept, and the most diverse group of {@code n} of them is chosen ({@link ExpertSelector}). Runs in turn with
     * adapter changes.
     *
     * @param candidates resident experts or catalogue adapters by name; empty for all of them
     * @return a stage with the report (the whole table, the groups, the choice and why), or failing with a
     *         {@link SynodException}: {@code INVALID_REQUEST} for an unknown candidate, a bad example or M or N out
     *         of range
     */
    public CompletionStage<ExpertSelector.Report> selectExperts(List<KShotExample> examples, List<String> candidates,
                                                                int m, int n) {
        Duration timeout = settings.adapters().timeout().multipliedBy(2).plus(BACKSTOP_MARGIN);
        return request(services.adapters(),
                (ActorRef<AdapterManager.Reply> replyTo) -> new AdapterManager.SelectExperts(examples, candidates, m, n, replyTo),
                timeout, reply -> {
                    if (reply instanceof AdapterManager.Selected selected) {
                        return selected.report();
                    }
                    throw new SynodException(((AdapterManager.AdapterFailed) reply).failure());
                });
    }

    /** Graph entities whose label or alias matches {@code text}, best first (see {@link KnowledgeGraph#find}). */
    public CompletionStage<List<KnowledgeGraph.Candidate>> findEntities(String text, int limit) {
        return request(services.knowledge(),
                (ActorRef<KnowledgeSolverActor.Reply> replyTo) -> new KnowledgeSolverActor.FindEntities(text, limit, replyTo),
                settings.graph().lookupTimeout(), reply -> {
                    if (reply instanceof KnowledgeSolverActor.EntitiesFound found) {
                        return found.candidates();
                    }
                    throw new SynodException(((KnowledgeSolverActor.LookupFailed) reply).failure());
                });
    }

    /** The edges of an entity (an id, or a name resolved to its best match), at most {@code limit} each way. */
    public CompletionStage<KnowledgeSolverActor.Neighbourhood> neighbours(String entity, int limit) {
        return request(services.knowledge(),
                (ActorRef<KnowledgeSolverActor.Reply> replyTo) -> new KnowledgeSolverActor.GetNeighbours(entity, limit, replyTo),
                settings.graph().lookupTimeout(), reply -> {
                    if (reply instanceof KnowledgeSolverActor.Neighbourhood neighbourhood) {
                        return neighbourhood;
                    }
                    throw new SynodException(((KnowledgeSolverActor.LookupFailed) reply).failure());
                });
    }

    /** Whether the graph and every solver's model are loaded; never blocks. */
    public Readiness readiness() {
        return status.readiness();
    }

    /** Completes when Synod is first ready; fails with a {@link SynodException} when loading fails. */
    public CompletionStage<Void> whenReady() {
        return status.whenReady();
    }

    /**
     * The cluster as this node sees it (members, reachable solvers, adapters per node); empty when
     * {@code synod.cluster.enabled} is off. Never blocks.
     */
    public Optional<ClusterStatus> cluster() {
        if (!settings.cluster().enabled()) {
            return Optional.empty();
        }
        Cluster node = Cluster.get(system);
        List<ClusterStatus.MemberView> members = new ArrayList<>();
        for (Member member : node.state().getMembers()) {
            members.add(new ClusterStatus.MemberView(member.address().toString(), List.copyOf(member.getRoles()),
                    member.status().toString().toLowerCase(Locale.ROOT)));
        }
        List<String> unreachable = new ArrayList<>();
        for (Member member : node.state().getUnreachable()) {
            unreachable.add(member.address().toString());
        }
        return Optional.of(new ClusterStatus(settings.cluster().role().label(), node.selfMember().address().toString(),
                members, unreachable, status.readiness().solversReady(), status.adaptersByNode(), status.adapterLoads()));
    }

    /** Completes when this Synod's actor system has stopped: closed, or (in a cluster) downed. */
    public CompletionStage<Void> whenTerminated() {
        return system.getWhenTerminated().thenApply(done -> null);
    }

    /** The figures to export as metrics; never blocks. */
    public Counters counters() {
        return status.counters();
    }

    public SynodSettings settings() {
        return settings;
    }

    /**
     * Stops accepting questions, waits for those in flight (at most {@code synod.shutdown.drain-timeout}, then
     * they are answered with an error), and stops the actor system (waiting at most
     * {@code synod.shutdown.terminate-timeout}: a solver cannot be interrupted, it finishes the question it is
     * computing first). Later calls
     * do nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Duration drain = settings.shutdown().drainTimeout();
        try {
            SessionManager.Drained drained = AskPattern.<SessionManager.Command, SessionManager.Drained>ask(
                    services.sessions(), replyTo -> new SessionManager.Drain(drain, replyTo),
                    drain.plus(BACKSTOP_MARGIN), system.scheduler()).toCompletableFuture().get();
            if (drained.aborted() > 0) {
                log.warn("closed with {} questions unfinished after {}; they were answered with an error",
                        drained.aborted(), Durations.words(drain));
            }
        } catch (ExecutionException e) {
            log.warn("the sessions did not drain: {}", e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        system.terminate();
        Duration terminate = settings.shutdown().terminateTimeout();
        try {
            system.getWhenTerminated().toCompletableFuture().get(terminate.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("Synod's actor system did not stop within {} (synod.shutdown.terminate-timeout): a solver is"
                    + " still computing", Durations.words(terminate));
        } catch (ExecutionException e) {
            log.warn("Synod's actor system stopped with a failure: {}", e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Behavior<QuestionSession.TraceRecorded> publish(
            QuestionSession.TraceRecorded recorded) {
        for (BiConsumer<String, TraceEvent> subscriber : subscribers) {
            try {
                subscriber.accept(recorded.sessionId(), recorded.event());
            } catch (RuntimeException e) {
                log.warn("a trace subscriber threw; the others still get the event", e);
            }
        }
        return Behaviors.same();
    }

    private CompletionStage<AdapterManager.Listing> adapterRequest(
            Function<ActorRef<AdapterManager.Reply>, AdapterManager.Command> request) {
        // a request may wait for the one before it, each bounded by the pool's fan-out timeout
        Duration timeout = settings.adapters().timeout().multipliedBy(2).plus(BACKSTOP_MARGIN);
        return request(services.adapters(), request, timeout, reply -> {
            if (reply instanceof AdapterManager.Listing listing) {
                return listing;
            }
            throw new SynodException(((AdapterManager.AdapterFailed) reply).failure());
        });
    }

    /** Asks an actor and maps its reply; a timeout or a closed Synod fails the stage with a {@link SynodException}. */
    private <C, R, T> CompletionStage<T> request(RecipientRef<C> actor, Function<ActorRef<R>, C> request,
                                                 Duration timeout, Function<R, T> reply) {
        if (closed.get()) {
            return CompletableFuture.failedStage(unavailable("this Synod is closed"));
        }
        return AskPattern.<C, R>ask(actor, request::apply, timeout, system.scheduler())
                .handle((answer, failure) -> {
                    if (failure == null) {
                        return reply.apply(answer);
                    }
                    throw failure instanceof TimeoutException || failure.getCause() instanceof TimeoutException
                            ? unavailable("no reply within " + Durations.words(timeout)) : new CompletionException(failure);
                });
    }

    private static SynodException unavailable(String message) {
        return new SynodException(Failure.of(Failure.Kind.UNAVAILABLE, message));
    }
}
