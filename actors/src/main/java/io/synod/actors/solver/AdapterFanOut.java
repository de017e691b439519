// Sends one adapter change to every solver of a pool and collects their replies, within a timeout.
package io.synod.actors.solver;

import io.synod.actors.Failure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * A per-request child of the {@link SolverPool}: sends the change to each solver, waits for every reply (a busy
 * solver answers after its current question) or the timeout, reports one {@link SolverPool.AdapterReply} to
 * the pool and stops. A change that fails on some solvers is reported with each solver's reason.
 */
final class AdapterFanOut extends AbstractBehavior<AdapterFanOut.Command> {

    sealed interface Command {
    }

    private record SolverReplied(SolverActor.AdapterReply reply) implements Command {
    }

    private enum TimedOut implements Command {
        INSTANCE
    }

    static Behavior<Command> create(List<ActorRef<SolverActor.Command>> solvers,
                                    Function<ActorRef<SolverActor.AdapterReply>, SolverActor.Command> change,
                                    Duration timeout, ActorRef<SolverPool.Command> pool,
                                    ActorRef<SolverPool.AdapterReply> replyTo) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            ActorRef<SolverActor.AdapterReply> replies = context.messageAdapter(SolverActor.AdapterReply.class,
                    SolverReplied::new);
            solvers.forEach(solver -> solver.tell(change.apply(replies)));
            timers.startSingleTimer(TimedOut.INSTANCE, timeout);
            return new AdapterFanOut(context, solvers, timeout, pool, replyTo);
        }));
    }

    private final Set<String> waitingFor = new HashSet<>();
    private final Duration timeout;
    private final ActorRef<SolverPool.Command> pool;
    private final ActorRef<SolverPool.AdapterReply> replyTo;
    private final List<String> failures = new ArrayList<>();
    private List<String> resident = List.of();

    private AdapterFanOut(ActorContext<Command> context, List<ActorRef<SolverActor.Command>> solvers, Duration timeout,
                          ActorRef<SolverPool.Command> pool, ActorRef<SolverPool.AdapterReply> replyTo) {
        super(context);
        solvers.forEach(solver -> waitingFor.add(solver.path().name()));
        this.timeout = timeout;
        this.pool = pool;
        this.replyTo = replyTo;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(SolverReplied.class, this::onSolverReplied)
                .onMessageEquals(TimedOut.INSTANCE, this::onTimedOut)
                .build();
    }

    private Behavior<Command> onSolverReplied(SolverReplied replied) {
        if (replied.reply() instanceof SolverActor.AdaptersChanged changed) {
            waitingFor.remove(changed.solver());
            resident = changed.resident();
        } else if (replied.reply() instanceof SolverActor.AdapterChangeFailed failed) {
            waitingFor.remove(failed.solver());
            failures.add(failed.solver() + ": " + failed.message());
        }
        if (!waitingFor.isEmpty()) {
            return this;
        }
        if (failures.isEmpty()) {
            return report(new SolverPool.Resident(resident));
        }
        return report(new SolverPool.AdapterRefused(Failure.of(Failure.Kind.INVALID_REQUEST, String.join("; ", failures))));
    }

    private Behavior<Command> onTimedOut() {
        failures.add("no reply within " + timeout + " (synod.adapters.timeout) from " + waitingFor);
        return report(new SolverPool.AdapterRefused(Failure.of(Failure.Kind.UNAVAILABLE, String.join("; ", failures))));
    }

    private Behavior<Command> report(SolverPool.AdapterReply reply) {
        pool.tell(new SolverPool.AdapterChangeDone(reply, replyTo));
        return Behaviors.stopped();
    }
}
