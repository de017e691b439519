// A solver actor: owns one loaded model and answers one question at a time, on the blocking dispatcher.
package io.synod.actors.solver;

import io.synod.actors.Failure;
import io.synod.actors.RuntimeStatus;
import io.synod.actors.SynodMessage;
import io.synod.adapters.experts.KShotExample;
import io.synod.decomposer.reasoning.Answer;
import io.synod.decomposer.reasoning.Reasoner;
import io.synod.kg.KnowledgeGraph;
import io.synod.solvers.reasoning.TraceEvent;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One solver of a {@link SolverPool}. It is spawned on the blocking dispatcher: loading the model and solving
 * block its thread, never the default dispatcher's. The pool gives it at most {@code synod.solver.prefetch} jobs
 * at once (the one it runs and the next), so its mailbox never holds more than those and a few adapter changes;
 * it tells the pool when it is done with each ({@link SolverPool.JobDone}). A job whose deadline passed while it
 * waited in the mailbox is dropped unrun: its session has replied.
 *
 * <p>Supervision: when solving throws, the actor tells the pool (which answers the session with a retryable
 * {@link SolveFailed} and hands out the next job) and rethrows; the supervisor restarts it (state reset, the loaded model
 * kept: it is created once, outside the restarted behavior). More than the configured restarts within the
 * window stop it for good; the pool notices through its watch.
 */
public final class SolverActor extends AbstractBehavior<SolverActor.Command> {

    public sealed interface Command extends SynodMessage {
    }

    /**
     * Solve the job; {@code replyTo} gets {@link Started}, {@link Traced} events, then {@link Solved} or
     * {@link SolveFailed}; {@code pool}, the pool that handed the job out (on this node or on a front), hears when
     * the solver is done with it.
     */
    public record Run(Job job, ActorRef<Reply> replyTo, ActorRef<SolverPool.Command> pool) implements Command {
    }

    /** A front's pool found this solver through the Receptionist: tell it {@link SolverPool.SolverStarted}. */
    public record Introduce(ActorRef<SolverPool.Command> pool) implements Command {
    }

    /** Make the adapter in {@code directory} resident as {@code name}; replies {@link AdapterReply}. */
    public record LoadAdapter(String name, String directory, ActorRef<AdapterReply> replyTo) implements Command {
    }

    /** Release the resident adapter {@code name}; replies {@link AdapterReply}. */
    public record UnloadAdapter(String name, ActorRef<AdapterReply> replyTo) implements Command {
    }

    /**
     * K-shot selection on this solver's model, between questions; replies {@link SolverPool.ExpertsSelected} or
     * {@link SolverPool.AdapterRefused}.
     */
    public record SelectExperts(List<KShotExample> examples, List<String> candidates, int m, int n, String catalogue,
                                ActorRef<SolverPool.AdapterReply> replyTo) implements Command {
        public SelectExperts {
            examples = List.copyOf(examples);
            candidates = List.copyOf(candidates);
        }
    }

    /** What a session hears about its job. */
    public sealed interface Reply extends SynodMessage {
        String sessionId();
    }

    /** A solver took the job: {@code job} is the job as planned (checked question, experts), for a retry. */
    public record Started(String sessionId, String solver, Job job) implements Reply {
    }

    /** A step of the job's reasoning, as it was recorded. */
    public record Traced(String sessionId, TraceEvent event) implements Reply {
    }

    public record Solved(String sessionId, Answer answer) implements Reply {
    }

    /**
     * The job failed, or was refused before a solver took it (an invalid question, by the decomposer; a full queue, by
     * the pool); {@code retryable} when another attempt may succeed (the solver threw, then restarted).
     */
    public record SolveFailed(String sessionId, Failure.Kind kind, String message, boolean retryable) implements Reply {
    }

    public sealed interface AdapterReply extends SynodMessage {
    }

    public record AdaptersChanged(String solver, List<String> resident) implements AdapterReply {
        public AdaptersChanged {
            resident = List.copyOf(resident);
        }
    }

    public record AdapterChangeFailed(String solver, String message) implements AdapterReply {
    }

    /**
     * @param factory  loads the model (here, on the blocking dispatcher); when it throws, the actor fails to
     *                 start and the pool hears of it
     * @param onDemand loads the adapters a job names that are not resident, from the catalogue (in a cluster);
     *                 {@link OnDemandAdapters#off()} refuses such a job instead
     * @param restart  the supervisor strategy applied when solving throws
     */
    public static Behavior<Command> create(SolverFactory factory, KnowledgeGraph graph,
                                           ActorRef<SolverPool.Command> pool, RuntimeStatus status,
                                           OnDemandAdapters onDemand, SupervisorStrategy restart) {
        return Behaviors.setup(context -> {
            Solver solver = Objects.requireNonNull(factory.create(graph), "the solver factory returned null");
            pool.tell(new SolverPool.SolverStarted(context.getSelf(), solver.adapters()));
            return Behaviors.supervise(Behaviors.<Command>setup(restarted -> new SolverActor(restarted, solver, status,
                            onDemand)))
                    .onFailure(RuntimeException.class, restart);
        });
    }

    private final Solver solver;
    private final RuntimeStatus status;
    private final OnDemandAdapters onDemand;
    private final String name;

    private SolverActor(ActorContext<Command> context, Solver solver, RuntimeStatus status, OnDemandAdapters onDemand) {
        super(context);
        this.solver = solver;
        this.status = status;
        this.onDemand = onDemand;
        this.name = context.getSelf().path().name();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Run.class, this::onRun)
                .onMessage(Introduce.class, this::onIntroduce)
                .onMessage(LoadAdapter.class, this::onLoadAdapter)
                .onMessage(UnloadAdapter.class, this::onUnloadAdapter)
                .onMessage(SelectExperts.class, this::onSelectExperts)
                .onSignal(PostStop.class, signal -> onPostStop())
                .build();
    }

    private Behavior<Command> onIntroduce(Introduce introduce) {
        introduce.pool().tell(new SolverPool.SolverStarted(getContext().getSelf(), solver.adapters()));
        return this;
    }

    private Behavior<Command> onRun(Run run) {
        Job job = run.job();
        ActorRef<SolverPool.Command> pool = run.pool();
        if (job.deadline().isBefore(Instant.now())) {
            getContext().getLog().debug("dropped the job of session {}: its deadline passed while it waited",
                    job.sessionId());
            pool.tell(new SolverPool.JobDone(getContext().getSelf(), job.sessionId()));
            return this;
        }
        List<String> missing = missingExperts(job.experts());
        if (!missing.isEmpty() && onDemand.enabled()) {
            try {
                int loaded = onDemand.load(solver, missing, expertNames(job.experts()));
                status.adaptersLoaded(loaded);
                pool.tell(new SolverPool.AdaptersLoaded(getContext().getSelf(), solver.adapters(), loaded));
                missing = List.of();
            } catch (RuntimeException e) {
                getContext().getLog().warn("{} could not load {} on demand: {}", name, missing, describe(e));
            }
        }
        if (!missing.isEmpty()) {
            run.replyTo().tell(new SolveFailed(job.sessionId(), Failure.Kind.SOLVER_FAILED, "the experts " + missing
                    + " are not resident in " + name + " (resident: " + solver.adapters()
                    + "); load them with the adapter manager", false));
            pool.tell(new SolverPool.JobDone(getContext().getSelf(), job.sessionId()));
            return this;
        }
        if (onDemand.enabled()) {
            onDemand.used(expertNames(job.experts()));
        }
        run.replyTo().tell(new Started(job.sessionId(), name, job));
        long callsBefore = solver.modelCalls();
        Answer answer;
        try {
            answer = solver.solve(job, event -> run.replyTo().tell(new Traced(job.sessionId(), event)));
        } catch (RuntimeException e) {
            status.modelCalls(solver.modelCalls() - callsBefore);
            status.solverFailed();
            // the pool answers the session (once, even if this solver stops for good); the jobs behind this one
            // wait in the mailbox until the restart is done
            pool.tell(new SolverPool.SolverCrashed(getContext().getSelf(), name + " failed: " + describe(e)));
            throw e;
        }
        status.modelCalls(solver.modelCalls() - callsBefore);
        // the pool first: by the time the session hears the answer, the pool knows this solver is free (and which
        // adapters it holds), so a question asked after the answer is routed knowing it
        pool.tell(new SolverPool.JobDone(getContext().getSelf(), job.sessionId()));
        run.replyTo().tell(new Solved(job.sessionId(), answer));
        return this;
    }

    private Behavior<Command> onLoadAdapter(LoadAdapter load) {
        return changeAdapters(load.replyTo(), () -> solver.loadAdapter(load.name(), Path.of(load.directory())));
    }

    private Behavior<Command> onUnloadAdapter(UnloadAdapter unload) {
        return changeAdapters(unload.replyTo(), () -> solver.unloadAdapter(unload.name()));
    }

    /** Runs the selection; a selection that fails is reported, not a crash (the model is as it was). */
    private Behavior<Command> onSelectExperts(SelectExperts select) {
        try {
            select.replyTo().tell(new SolverPool.ExpertsSelected(solver.selectExperts(select.examples(),
                    select.candidates(), select.m(), select.n(), Path.of(select.catalogue()))));
        } catch (IllegalArgumentException e) {
            select.replyTo().tell(new SolverPool.AdapterRefused(Failure.of(Failure.Kind.INVALID_REQUEST, e.getMessage())));
        } catch (UnsupportedOperationException e) {
            select.replyTo().tell(new SolverPool.AdapterRefused(Failure.of(Failure.Kind.UNAVAILABLE, e.getMessage())));
        } catch (RuntimeException e) {
            select.replyTo().tell(new SolverPool.AdapterRefused(Failure.of(Failure.Kind.SOLVER_FAILED,
                    name + " failed to select experts: " + describe(e))));
        }
        return this;
    }

    /** Runs the change; a change that fails is reported, not a crash (the model is as it was). */
    private Behavior<Command> changeAdapters(ActorRef<AdapterReply> replyTo, Runnable change) {
        try {
            change.run();
            replyTo.tell(new AdaptersChanged(name, solver.adapters()));
        } catch (RuntimeException e) {
            replyTo.tell(new AdapterChangeFailed(name, describe(e)));
        }
        return this;
    }

    private Behavior<Command> onPostStop() {
        solver.close();
        return this;
    }

    /** The experts the job names that the model does not hold (for routed experts, those the gate routes among). */
    private List<String> missingExperts(Reasoner.Experts experts) {
        List<String> resident = solver.adapters();
        List<String> missing = new ArrayList<>();
        for (String expert : expertNames(experts)) {
            if (!resident.contains(expert) && !missing.contains(expert)) {
                missing.add(expert);
            }
        }
        return missing;
    }

    /** The experts a job names: its four roles' (null: the base model), or with routed experts those routed among. */
    static List<String> expertNames(Reasoner.Experts experts) {
        List<String> named = new ArrayList<>(4);
        for (String expert : experts.isRouted() ? experts.routing().experts()
                : java.util.Arrays.asList(experts.decompose(), experts.walk(), experts.direct(), experts.compose())) {
            if (expert != null && !named.contains(expert)) {
                named.add(expert);
            }
        }
        return named;
    }

    static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
