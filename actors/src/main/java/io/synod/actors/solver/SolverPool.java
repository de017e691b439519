// The pool of solver actors of one model: a bounded queue of jobs, handed to solvers a few at a time.
package io.synod.actors.solver;

import io.synod.actors.Failure;
import io.synod.actors.RuntimeStatus;
import io.synod.actors.SynodMessage;
import io.synod.actors.SynodSettings;
import io.synod.adapters.experts.KShotExample;
import io.synod.kg.KnowledgeGraph;
import io.synod.solvers.experts.ExpertSelector;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Routes jobs to the solver actors of one model. Each solver holds at most {@code synod.solver.prefetch} jobs: the
 * one it runs and the next ones, waiting in its mailbox, so that it starts the next without a round trip to the
 * pool (with 1, a solver gets a job only when it is idle: plain work pulling). A job goes to the solver that holds
 * the fewest; when every solver holds its most, it waits in the pool's queue. Jobs waiting anywhere (in the queue
 * or in a solver's mailbox behind the job it runs) number at most {@code synod.solver.queue-size}; a job beyond
 * is refused at once ({@link Failure.Kind#OVERLOADED}, or {@link Failure.Kind#NOT_READY} while the models load),
 * never queued without bound. A job whose deadline has passed while it waited is dropped, by the pool or by the
 * solver (its session has replied).
 *
 * <p>The solvers start when {@link Start} brings the loaded graph, each on the blocking dispatcher. The pool
 * watches them: a solver that fails to start makes Synod unready; one that stops after too many restarts has
 * its job (if any) answered with a retryable failure. Adapter changes go to every solver (a fan-out child
 * collects the replies); the pool keeps the resident list.
 */
public final class SolverPool extends AbstractBehavior<SolverPool.Command> {

    public sealed interface Command {
    }

    /** Solve a job; the solver's {@link SolverActor.Reply replies} go to {@code replyTo}. */
    public record Solve(Job job, ActorRef<SolverActor.Reply> replyTo) implements Command, SynodMessage {
    }

    public record LoadAdapter(String name, String directory, ActorRef<AdapterReply> replyTo) implements Command, SynodMessage {
    }

    public record UnloadAdapter(String name, ActorRef<AdapterReply> replyTo) implements Command, SynodMessage {
    }

    public record GetResident(ActorRef<AdapterReply> replyTo) implements Command, SynodMessage {
    }

    public sealed interface AdapterReply extends SynodMessage {
    }

    /** The adapters resident in every solver's model. */
    public record Resident(List<String> names) implements AdapterReply {
        public Resident {
            names = List.copyOf(names);
        }
    }

    public record AdapterRefused(Failure failure) implements AdapterReply {
    }

    /**
     * Run K-shot selection on one solver (an idle one when there is one; otherwise it runs after that solver's
     * current question); replies {@link ExpertsSelected} or {@link AdapterRefused}.
     */
    public record SelectExperts(List<KShotExample> examples, List<String> candidates, int m, int n, String catalogue,
                                ActorRef<AdapterReply> replyTo) implements Command, SynodMessage {
        public SelectExperts {
            examples = List.copyOf(examples);
            candidates = List.copyOf(candidates);
        }
    }

    /** The selection's report. */
    public record ExpertsSelected(ExpertSelector.Report report) implements AdapterReply {
    }

    /** Start the solvers on the loaded graph. Local: it carries the graph itself. */
    public record Start(KnowledgeGraph graph) implements Command, NoSerializationVerificationNeeded {
    }

    /** No solver will start: the graph failed to load. */
    public record Unavailable(String reason) implements Command, SynodMessage {
    }

    record SolverStarted(ActorRef<SolverActor.Command> solver, List<String> adapters) implements Command, SynodMessage {
        SolverStarted {
            adapters = List.copyOf(adapters);
        }
    }

    /** The solver is done with the oldest job it holds (answered, refused, or dropped past its deadline). */
    record JobDone(ActorRef<SolverActor.Command> solver) implements Command, SynodMessage {
    }

    /** The solver threw while solving its job and is being restarted. */
    record SolverCrashed(ActorRef<SolverActor.Command> solver, String reason) implements Command, SynodMessage {
    }

    record AdapterChangeDone(AdapterReply reply, ActorRef<AdapterReply> replyTo) implements Command, SynodMessage {
    }

    public static Behavior<Command> create(SynodSettings settings, SolverFactory factory, RuntimeStatus status) {
        return Behaviors.setup(context -> new SolverPool(context, settings, factory, status));
    }

    private final SynodSettings.SolverSettings settings;
    private final Duration adapterTimeout;
    private final SolverFactory factory;
    private final RuntimeStatus status;

    private int starting;
    /** The running solvers, each with the jobs it holds, the one it runs first. */
    private final Map<ActorRef<SolverActor.Command>, ArrayDeque<Solve>> held = new LinkedHashMap<>();
    private final ArrayDeque<Solve> queue = new ArrayDeque<>();
    private List<String> resident = List.of();
    /** Why no solver runs or will run; null while they load or run. */
    private String unavailable;
    private int adapterChanges;

    private SolverPool(ActorContext<Command> context, SynodSettings settings, SolverFactory factory,
                       RuntimeStatus status) {
        super(context);
        this.settings = settings.solver();
        this.adapterTimeout = settings.adapters().timeout();
        this.factory = factory;
        this.status = status;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Solve.class, this::onSolve)
                .onMessage(Start.class, this::onStart)
                .onMessage(Unavailable.class, this::onUnavailable)
                .onMessage(SolverStarted.class, this::onSolverStarted)
                .onMessage(JobDone.class, this::onJobDone)
                .onMessage(SolverCrashed.class, this::onSolverCrashed)
                .onMessage(LoadAdapter.class, this::onLoadAdapter)
                .onMessage(UnloadAdapter.class, this::onUnloadAdapter)
                .onMessage(GetResident.class, this::onGetResident)
                .onMessage(SelectExperts.class, this::onSelectExperts)
                .onMessage(AdapterChangeDone.class, this::onAdapterChangeDone)
                .onSignal(Terminated.class, this::onSolverStopped)
                .build();
    }

    private Behavior<Command> onSolve(Solve solve) {
        if (held.isEmpty() && starting == 0 && unavailable != null) {
            refuse(solve, Failure.Kind.UNAVAILABLE, "no solver is running: " + unavailable);
            return this;
        }
        ActorRef<SolverActor.Command> solver = leastBusy();
        int waiting = waiting();
        if (solver != null && (held.get(solver).isEmpty() || waiting < settings.queueSize())) {
            run(solver, solve);
        } else if (waiting < settings.queueSize()) {
            queue.add(solve);
        } else if (held.isEmpty()) {
            refuse(solve, Failure.Kind.NOT_READY, "the model is still loading and " + waiting
                    + " questions are already waiting for it (synod.solver.queue-size)");
        } else {
            refuse(solve, Failure.Kind.OVERLOADED, "all " + held.size() + " solvers are busy and " + waiting
                    + " questions are already waiting (synod.solver.queue-size); try again shortly");
        }
        status.queueDepth(waiting());
        return this;
    }

    private Behavior<Command> onStart(Start start) {
        SupervisorStrategy restart = SupervisorStrategy.restart()
                .withLimit(settings.maxRestarts(), settings.restartWindow());
        for (int i = 1; i <= settings.poolSize(); i++) {
            ActorRef<SolverActor.Command> solver = getContext().spawn(
                    SolverActor.create(factory, start.graph(), getContext().getSelf(), status, restart),
                    "solver-" + i, DispatcherSelector.fromConfig(SynodSettings.BLOCKING_DISPATCHER));
            getContext().watch(solver);
            starting++;
        }
        return this;
    }

    private Behavior<Command> onUnavailable(Unavailable message) {
        unavailable = message.reason();
        refuseQueued(Failure.Kind.UNAVAILABLE, unavailable);
        return this;
    }

    private Behavior<Command> onSolverStarted(SolverStarted started) {
        starting--;
        held.put(started.solver(), new ArrayDeque<>());
        resident = started.adapters();
        status.residentAdapters(resident.size());
        status.solverStarted();
        getContext().getLog().info("{} started; resident adapters {}", started.solver().path().name(), resident);
        dispatch();
        return this;
    }

    private Behavior<Command> onJobDone(JobDone done) {
        ArrayDeque<Solve> jobs = held.get(done.solver());
        if (jobs != null) {
            jobs.poll();
        }
        dispatch();
        return this;
    }

    /** The solver threw on the oldest job it holds; the jobs behind it wait in its mailbox for the restart. */
    private Behavior<Command> onSolverCrashed(SolverCrashed crashed) {
        ArrayDeque<Solve> jobs = held.get(crashed.solver());
        Solve failed = jobs == null ? null : jobs.poll();
        if (failed != null) {
            failed.replyTo().tell(new SolverActor.SolveFailed(failed.job().sessionId(), Failure.Kind.SOLVER_FAILED,
                    crashed.reason(), true));
        }
        dispatch();
        return this;
    }

    private Behavior<Command> onSolverStopped(Terminated terminated) {
        ActorRef<Void> solver = terminated.getRef();
        String name = solver.path().name();
        String cause = terminated instanceof ChildFailed failed ? SolverActor.describe(failed.getCause()) : "stopped";
        ArrayDeque<Solve> jobs = held.remove(solver);
        if (jobs != null) {
            status.solverStopped();
            getContext().getLog().error("{} stopped for good after more than {} restarts within {}: {}", name,
                    settings.maxRestarts(), settings.restartWindow(), cause);
            unavailable = name + " stopped after repeated failures (" + cause + ")";
        } else {
            starting--;
            unavailable = "the model failed to load in " + name + ": " + cause;
            getContext().getLog().error("{}", unavailable);
            status.loadFailed(unavailable);
        }
        Solve running = jobs == null ? null : jobs.poll();
        if (running != null) {
            running.replyTo().tell(new SolverActor.SolveFailed(running.job().sessionId(), Failure.Kind.SOLVER_FAILED,
                    name + " stopped: " + cause, true));
        }
        // the jobs behind it never started: they go back to the front of the queue, in order
        while (jobs != null && !jobs.isEmpty()) {
            queue.addFirst(jobs.pollLast());
        }
        if (held.isEmpty() && starting == 0) {
            refuseQueued(Failure.Kind.UNAVAILABLE, "no solver is running: " + unavailable);
        } else {
            dispatch();
        }
        return this;
    }

    private Behavior<Command> onLoadAdapter(LoadAdapter load) {
        if (resident.contains(load.name())) {
            load.replyTo().tell(new AdapterRefused(Failure.of(Failure.Kind.INVALID_REQUEST,
                    "the adapter '" + load.name() + "' is already resident")));
            return this;
        }
        return fanOut(load.replyTo(), replyTo -> new SolverActor.LoadAdapter(load.name(), load.directory(), replyTo));
    }

    private Behavior<Command> onUnloadAdapter(UnloadAdapter unload) {
        if (!held.isEmpty() && starting == 0 && !resident.contains(unload.name())) {
            unload.replyTo().tell(new AdapterRefused(Failure.of(Failure.Kind.NOT_FOUND,
                    "no adapter named '" + unload.name() + "' is resident; resident adapters are " + resident)));
            return this;
        }
        return fanOut(unload.replyTo(), replyTo -> new SolverActor.UnloadAdapter(unload.name(), replyTo));
    }

    private Behavior<Command> onSelectExperts(SelectExperts select) {
        AdapterReply refused = notReady();
        if (refused != null) {
            select.replyTo().tell(refused);
            return this;
        }
        // the solver holding the fewest jobs (selection runs between its questions)
        ActorRef<SolverActor.Command> solver = held.entrySet().stream()
                .min(java.util.Comparator.comparingInt(entry -> entry.getValue().size())).orElseThrow().getKey();
        solver.tell(new SolverActor.SelectExperts(select.examples(), select.candidates(), select.m(), select.n(),
                select.catalogue(), select.replyTo()));
        return this;
    }

    private Behavior<Command> onGetResident(GetResident get) {
        AdapterReply reply = notReady();
        get.replyTo().tell(reply != null ? reply : new Resident(resident));
        return this;
    }

    private Behavior<Command> onAdapterChangeDone(AdapterChangeDone done) {
        if (done.reply() instanceof Resident now) {
            resident = now.names();
            status.residentAdapters(resident.size());
        }
        done.replyTo().tell(done.reply());
        return this;
    }

    /** Sends the change to every running solver; a child collects the replies and reports to this pool. */
    private Behavior<Command> fanOut(ActorRef<AdapterReply> replyTo,
                                     Function<ActorRef<SolverActor.AdapterReply>, SolverActor.Command> change) {
        AdapterReply refused = notReady();
        if (refused != null) {
            replyTo.tell(refused);
            return this;
        }
        getContext().spawn(AdapterFanOut.create(List.copyOf(held.keySet()), change, adapterTimeout, getContext().getSelf(),
                replyTo), "adapter-change-" + ++adapterChanges);
        return this;
    }

    /** A refusal while the solvers are not all running, or null. */
    private AdapterReply notReady() {
        if (held.isEmpty() && starting == 0 && unavailable != null) {
            return new AdapterRefused(Failure.of(Failure.Kind.UNAVAILABLE, unavailable));
        }
        if (starting > 0 || held.isEmpty()) {
            return new AdapterRefused(Failure.of(Failure.Kind.NOT_READY, "the model is still loading"));
        }
        return null;
    }

    /** Moves queued jobs to the solvers that hold fewer than they may (a job moved keeps waiting, in a mailbox). */
    private void dispatch() {
        Instant now = queue.isEmpty() ? null : Instant.now();
        ActorRef<SolverActor.Command> solver;
        while (!queue.isEmpty() && (solver = leastBusy()) != null) {
            Solve next = queue.poll();
            if (next.job().deadline().isBefore(now)) {
                getContext().getLog().debug("dropped the job of session {}: its deadline passed while it waited",
                        next.job().sessionId());
                continue;
            }
            run(solver, next);
        }
        status.queueDepth(waiting());
    }

    /** The running solver that holds the fewest jobs, if it may take one more; null when all hold their most. */
    private ActorRef<SolverActor.Command> leastBusy() {
        ActorRef<SolverActor.Command> least = null;
        int fewest = settings.prefetch();
        for (Map.Entry<ActorRef<SolverActor.Command>, ArrayDeque<Solve>> solver : held.entrySet()) {
            int holds = solver.getValue().size();
            if (holds < fewest) {
                least = solver.getKey();
                fewest = holds;
                if (holds == 0) {
                    break;
                }
            }
        }
        return least;
    }

    /** Jobs waiting for a solver: in the queue, and in solvers' mailboxes behind the job each runs. */
    private int waiting() {
        int waiting = queue.size();
        for (ArrayDeque<Solve> jobs : held.values()) {
            waiting += Math.max(0, jobs.size() - 1);
        }
        return waiting;
    }

    private void run(ActorRef<SolverActor.Command> solver, Solve solve) {
        held.get(solver).add(solve);
        solver.tell(new SolverActor.Run(solve.job(), solve.replyTo()));
    }

    private void refuseQueued(Failure.Kind kind, String reason) {
        while (!queue.isEmpty()) {
            refuse(queue.poll(), kind, reason);
        }
        status.queueDepth(waiting());
    }

    private static void refuse(Solve solve, Failure.Kind kind, String reason) {
        solve.replyTo().tell(new SolverActor.SolveFailed(solve.job().sessionId(), kind, reason, false));
    }
}
