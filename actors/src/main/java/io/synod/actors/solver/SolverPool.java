// The pool of solver actors of one model: a bounded queue of jobs, handed to solvers a few at a time.
package io.synod.actors.solver;

import io.synod.actors.Failure;
import io.synod.actors.RuntimeStatus;
import io.synod.actors.SynodMessage;
import io.synod.actors.SynodSettings;
import io.synod.actors.cluster.ClusterSettings;
import io.synod.actors.cluster.HashRing;
import io.synod.adapters.experts.KShotExample;
import io.synod.kg.KnowledgeGraph;
import io.synod.solvers.reasoning.TraceEvent;
import io.synod.solvers.experts.ExpertSelector;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

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
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.typed.Cluster;

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
 *
 * <p>In a cluster ({@code synod.cluster.enabled}) a node with solvers registers them with the Receptionist under
 * the model's service key, and the pool of a front subscribes to that key: it introduces itself to each solver it
 * finds (which answers {@link SolverStarted} with its adapters), watches it, and routes to it like to its own. A
 * solver that leaves the listing's reachable instances (its node unreachable, left or downed) or stops is dropped:
 * the job it ran goes back to the front of the queue as its second attempt (with a {@code retry} trace step to its
 * session), and so do the jobs it held. With {@code synod.cluster.routing =
 * affinity}, a job goes to a free solver that holds its adapters, else to a free solver on the node the job's
 * adapters hash to ({@link HashRing}; a node busier than {@code load-factor} times the average is passed over),
 * which loads them on demand; and a solver that comes free takes the first waiting job it holds the adapters of.
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

    /** The solver is done with the job of {@code sessionId} (answered, refused, or dropped past its deadline). */
    record JobDone(ActorRef<SolverActor.Command> solver, String sessionId) implements Command, SynodMessage {
    }

    /** The solver loaded {@code loaded} adapters on demand (and perhaps unloaded others); {@code resident} now. */
    record AdaptersLoaded(ActorRef<SolverActor.Command> solver, List<String> resident, int loaded)
            implements Command, SynodMessage {
        AdaptersLoaded {
            resident = List.copyOf(resident);
        }
    }

    /** The Receptionist's listing of the model's solvers changed (a front's subscription). Local. */
    private record SolversListed(Receptionist.Listing listing) implements Command, NoSerializationVerificationNeeded {
    }

    /** The solver threw while solving its job and is being restarted. */
    record SolverCrashed(ActorRef<SolverActor.Command> solver, String reason) implements Command, SynodMessage {
    }

    record AdapterChangeDone(AdapterReply reply, ActorRef<AdapterReply> replyTo) implements Command, SynodMessage {
    }

    public static Behavior<Command> create(SynodSettings settings, SolverFactory factory, RuntimeStatus status) {
        return create(settings, factory, status, OnDemandAdapters::off);
    }

    /**
     * @param onDemand makes each solver's on-demand adapter loading (used in a cluster; {@link OnDemandAdapters#off()}
     *                 on a single machine)
     */
    public static Behavior<Command> create(SynodSettings settings, SolverFactory factory, RuntimeStatus status,
                                           Supplier<OnDemandAdapters> onDemand) {
        return Behaviors.setup(context -> new SolverPool(context, settings, factory, status, onDemand));
    }

    /** The Receptionist's key of the solvers of the model {@code cluster} names. */
    public static ServiceKey<SolverActor.Command> serviceKey(ClusterSettings cluster) {
        return ServiceKey.create(SolverActor.Command.class, cluster.serviceKeyId());
    }

    private final SynodSettings.SolverSettings settings;
    private final Duration adapterTimeout;
    private final SolverFactory factory;
    private final RuntimeStatus status;
    private final Supplier<OnDemandAdapters> onDemand;
    private final ClusterSettings cluster;
    private final ServiceKey<SolverActor.Command> serviceKey;
    /** This node's address in the cluster (the node of the local solvers); "local" without a cluster. */
    private final String selfNode;

    private int starting;
    /** The running solvers, each with the jobs it holds, the one it runs first. */
    private final Map<ActorRef<SolverActor.Command>, ArrayDeque<Solve>> held = new LinkedHashMap<>();
    private final ArrayDeque<Solve> queue = new ArrayDeque<>();
    private List<String> resident = List.of();
    /** Why no solver runs or will run; null while they load or run. */
    private String unavailable;
    private int adapterChanges;
    /** In a cluster: the adapters each solver holds, as it last said. */
    private final Map<ActorRef<SolverActor.Command>, List<String>> adaptersOf = new HashMap<>();
    /** In a cluster: the solvers of other nodes introduced to, and not yet started here or dropped. */
    private final Set<ActorRef<SolverActor.Command>> introduced = new HashSet<>();
    /** With round-robin routing: the position of the solver that had the last job. */
    private int turn;

    private SolverPool(ActorContext<Command> context, SynodSettings settings, SolverFactory factory,
                       RuntimeStatus status, Supplier<OnDemandAdapters> onDemand) {
        super(context);
        this.settings = settings.solver();
        this.adapterTimeout = settings.adapters().timeout();
        this.factory = factory;
        this.status = status;
        this.onDemand = onDemand;
        this.cluster = settings.cluster();
        this.serviceKey = serviceKey(cluster);
        this.selfNode = cluster.enabled() ? Cluster.get(context.getSystem()).selfMember().address().toString() : "local";
        if (cluster.enabled() && cluster.role().front()) {
            context.getSystem().receptionist().tell(Receptionist.subscribe(serviceKey,
                    context.messageAdapter(Receptionist.Listing.class, SolversListed::new)));
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Solve.class, this::onSolve)
                .onMessage(Start.class, this::onStart)
                .onMessage(Unavailable.class, this::onUnavailable)
                .onMessage(SolverStarted.class, this::onSolverStarted)
                .onMessage(JobDone.class, this::onJobDone)
                .onMessage(AdaptersLoaded.class, this::onAdaptersLoaded)
                .onMessage(SolversListed.class, this::onSolversListed)
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
        ActorRef<SolverActor.Command> solver = cluster.enabled() ? choose(solve.job()) : leastBusy();
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
        // a front of a cluster runs no solver of its own: it routes to those of the solver nodes
        int solvers = cluster.enabled() && !cluster.role().solvers() ? 0 : settings.poolSize();
        for (int i = 1; i <= solvers; i++) {
            ActorRef<SolverActor.Command> solver = getContext().spawn(
                    SolverActor.create(factory, start.graph(), getContext().getSelf(), status, onDemand.get(), restart),
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
        ActorRef<SolverActor.Command> solver = started.solver();
        if (remote(solver)) {
            if (!introduced.remove(solver) || held.containsKey(solver)) {
                return this;   // dropped (unreachable) since it was introduced, or known already
            }
            getContext().getLog().info("solver {} on {} joined; resident adapters {}", solver.path().name(),
                    node(solver), started.adapters());
        } else {
            starting--;
            if (cluster.enabled() && cluster.role().solvers()) {
                getContext().getSystem().receptionist().tell(Receptionist.register(serviceKey, solver));
            }
            getContext().getLog().info("{} started; resident adapters {}", solver.path().name(), started.adapters());
        }
        if (held.containsKey(solver)) {
            return this;   // a local solver the Receptionist listed before it started here
        }
        held.put(solver, new ArrayDeque<>());
        resident = started.adapters();
        status.residentAdapters(resident.size());
        status.solverStarted();
        if (cluster.enabled()) {
            adaptersOf.put(solver, started.adapters());
            publishAdapters();
        }
        dispatch();
        return this;
    }

    private Behavior<Command> onJobDone(JobDone done) {
        ArrayDeque<Solve> jobs = held.get(done.solver());
        if (jobs != null) {
            Solve oldest = jobs.peek();
            if (oldest != null && oldest.job().sessionId().equals(done.sessionId())) {
                jobs.poll();
            } else {
                // a job the pool gave up on and gave out again (its node was unreachable a while) may end late
                jobs.removeIf(solve -> solve.job().sessionId().equals(done.sessionId()));
            }
        }
        dispatch();
        return this;
    }

    private Behavior<Command> onAdaptersLoaded(AdaptersLoaded loaded) {
        if (held.containsKey(loaded.solver())) {
            adaptersOf.put(loaded.solver(), loaded.resident());
            publishAdapters();
        }
        return this;
    }

    /**
     * The solvers the Receptionist lists on reachable nodes: those new here are introduced to (and watched); those
     * no longer listed are dropped (their node is unreachable, left or was downed).
     */
    private Behavior<Command> onSolversListed(SolversListed listed) {
        Set<ActorRef<SolverActor.Command>> reachable = listed.listing().getServiceInstances(serviceKey);
        for (ActorRef<SolverActor.Command> solver : reachable) {
            if (remote(solver) && !held.containsKey(solver) && introduced.add(solver)) {
                getContext().watch(solver);
                solver.tell(new SolverActor.Introduce(getContext().getSelf()));
            }
        }
        introduced.retainAll(reachable);
        for (ActorRef<SolverActor.Command> solver : new ArrayList<>(held.keySet())) {
            if (remote(solver) && !reachable.contains(solver)) {
                drop(solver, "its node " + node(solver) + " is unreachable or left the cluster");
            }
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
        if (solver.path().address().hasGlobalScope()) {
            // a solver of another node: stopped, or its node left or was downed
            introduced.removeIf(known -> known.path().equals(solver.path()));
            for (ActorRef<SolverActor.Command> known : new ArrayList<>(held.keySet())) {
                if (known.path().equals(solver.path())) {
                    drop(known, "it stopped on " + known.path().address());
                }
            }
            dispatch();
            return this;
        }
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

    /**
     * Stops routing to a solver of another node. The jobs it held behind the one it ran go back to the front of the
     * queue, in order. The one it ran goes there too, as its second attempt, after a trace step {@code retry} to its
     * session saying why; the pool asks again itself, rather than the session, because the session may not have
     * heard the solver start (the node may have died with the job in its mailbox). A job lost on its second attempt
     * is answered with a failure.
     */
    private void drop(ActorRef<SolverActor.Command> solver, String why) {
        ArrayDeque<Solve> jobs = held.remove(solver);
        adaptersOf.remove(solver);
        publishAdapters();
        if (jobs == null) {
            return;
        }
        status.solverStopped();
        getContext().getLog().warn("solver {} dropped: {}; {} jobs it held go elsewhere", solver.path(), why, jobs.size());
        Solve running = jobs.poll();
        while (!jobs.isEmpty()) {
            queue.addFirst(jobs.pollLast());
        }
        if (running == null) {
            return;
        }
        Job job = running.job();
        String lost = "solver " + solver.path().name() + " on " + node(solver) + " was lost: " + why;
        if (job.attempt() == 1) {
            getContext().getLog().warn("session {}: {}; asking another solver", job.sessionId(), lost);
            running.replyTo().tell(new SolverActor.Traced(job.sessionId(), new TraceEvent("retry", null, "pool",
                    job.question(), "asking another solver (attempt 2)", null, 0, 0, lost, List.of())));
            queue.addFirst(new Solve(job.retry(), running.replyTo()));
        } else {
            running.replyTo().tell(new SolverActor.SolveFailed(job.sessionId(), Failure.Kind.SOLVER_FAILED,
                    lost + " (the question's second attempt)", false));
        }
    }

    /**
     * The solver a job goes to in a cluster, or null when every solver holds its most. Round-robin: the next in
     * turn that may take one. Affinity: a free solver that holds the job's adapters, on the node nearest the
     * job's home on the hash ring; else a free solver on the first node in ring order whose load is within the
     * bound (it loads the adapters on demand).
     */
    private ActorRef<SolverActor.Command> choose(Job job) {
        if (cluster.routing() == ClusterSettings.Routing.ROUND_ROBIN) {
            return nextInTurn();
        }
        List<String> needed = SolverActor.expertNames(job.experts());
        Map<String, List<ActorRef<SolverActor.Command>>> free = new TreeMap<>();
        Map<String, int[]> load = new TreeMap<>();   // per node: jobs held, solvers
        int jobs = 0;
        for (Map.Entry<ActorRef<SolverActor.Command>, ArrayDeque<Solve>> entry : held.entrySet()) {
            String node = node(entry.getKey());
            int holds = entry.getValue().size();
            int[] nodeLoad = load.computeIfAbsent(node, n -> new int[2]);
            nodeLoad[0] += holds;
            nodeLoad[1]++;
            jobs += holds;
            if (holds < settings.prefetch()) {
                free.computeIfAbsent(node, n -> new ArrayList<>()).add(entry.getKey());
            }
        }
        if (free.isEmpty()) {
            return null;
        }
        List<String> order = new HashRing(load.keySet()).preference(String.join(",", needed));
        for (String node : order) {
            for (ActorRef<SolverActor.Command> solver : free.getOrDefault(node, List.of())) {
                if (adaptersOf.getOrDefault(solver, List.of()).containsAll(needed)) {
                    return solver;
                }
            }
        }
        // nobody free holds them: the first node in ring order within the load bound loads them
        double bound = cluster.loadFactor() * (jobs + 1) / held.size();
        for (String node : order) {
            List<ActorRef<SolverActor.Command>> candidates = free.get(node);
            int[] nodeLoad = load.get(node);
            if (candidates != null && (double) (nodeLoad[0] + 1) / nodeLoad[1] <= Math.max(1.0, bound)) {
                return candidates.get(0);
            }
        }
        return free.get(order.stream().filter(free::containsKey).findFirst().orElseThrow()).get(0);
    }

    /** Round-robin: the next solver in turn, from the one after the last chosen, that may take a job. */
    private ActorRef<SolverActor.Command> nextInTurn() {
        List<ActorRef<SolverActor.Command>> solvers = new ArrayList<>(held.keySet());
        for (int i = 1; i <= solvers.size(); i++) {
            int position = (turn + i) % solvers.size();
            if (held.get(solvers.get(position)).size() < settings.prefetch()) {
                turn = position;
                return solvers.get(position);
            }
        }
        return null;
    }

    /**
     * Affinity: the waiting job a solver that came free should take: the first it holds the adapters of, else the
     * first whose adapters hash to its node, else the oldest. Removed from the queue.
     */
    private Solve nextFor(ActorRef<SolverActor.Command> solver) {
        List<String> adapters = adaptersOf.getOrDefault(solver, List.of());
        String node = node(solver);
        HashRing ring = null;
        Solve home = null;
        for (Solve waiting : queue) {
            List<String> needed = SolverActor.expertNames(waiting.job().experts());
            if (adapters.containsAll(needed)) {
                queue.remove(waiting);
                return waiting;
            }
            if (home == null) {
                ring = ring != null ? ring : new HashRing(held.keySet().stream().map(this::node).distinct().toList());
                if (node.equals(ring.home(String.join(",", needed)))) {
                    home = waiting;
                }
            }
        }
        Solve next = home != null ? home : queue.peek();
        queue.remove(next);
        return next;
    }

    /** The node a solver runs on: its address, this node's for a local one. */
    private String node(ActorRef<?> solver) {
        return remote(solver) ? solver.path().address().toString() : selfNode;
    }

    private static boolean remote(ActorRef<?> solver) {
        return solver.path().address().hasGlobalScope();
    }

    /** The adapters resident per node, for readiness and metrics. */
    private void publishAdapters() {
        Map<String, Set<String>> byNode = new TreeMap<>();
        adaptersOf.forEach((solver, adapters) -> byNode.computeIfAbsent(node(solver), n -> new TreeSet<>()).addAll(adapters));
        Map<String, List<String>> snapshot = new TreeMap<>();
        byNode.forEach((node, adapters) -> snapshot.put(node, List.copyOf(adapters)));
        status.adaptersByNode(snapshot);
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
        while (!queue.isEmpty() && (solver = roundRobin() ? nextInTurn() : leastBusy()) != null) {
            Solve next = affinity() ? nextFor(solver) : queue.poll();
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
        solver.tell(new SolverActor.Run(solve.job(), solve.replyTo(), getContext().getSelf()));
    }

    private boolean affinity() {
        return cluster.enabled() && cluster.routing() == ClusterSettings.Routing.AFFINITY;
    }

    private boolean roundRobin() {
        return cluster.enabled() && cluster.routing() == ClusterSettings.Routing.ROUND_ROBIN;
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
