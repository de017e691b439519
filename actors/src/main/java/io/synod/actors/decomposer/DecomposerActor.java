// The decomposer actor: turns a question into a plan a solver can run (checked text, strategy, experts).
package io.synod.actors.decomposer;

import io.synod.actors.Failure;
import io.synod.actors.SynodMessage;
import io.synod.actors.routing.ExpertRouting;
import io.synod.actors.solver.Job;
import io.synod.actors.solver.SolverActor;
import io.synod.actors.solver.SolverPool;
import io.synod.decomposer.reasoning.AskOptions;
import io.synod.decomposer.reasoning.Reasoner;
import java.time.Instant;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Plans a question: checks it ({@link Reasoner#validate}: not empty, not too long, plain text), chooses the experts
 * of its roles with its {@link ExpertRouting}, called here, in this actor, one question at a time (so a learned
 * routing with state needs no locking), and hands the job to the solver pool itself, so that a question costs no
 * round trip back to its session. The session hears of the job from the solver that takes it
 * ({@link SolverActor.Started} carries the job as planned), or of the refusal from here ({@link SolverActor.SolveFailed}).
 * The DecomP program itself is written by the model inside the solver, line by line, because each line is
 * conditioned on the answers to the lines before it (the {@link Reasoner} interleaves writing and running the
 * program); this actor is where a program-level plan (a decomposition model of its own, a cache of programs) would go.
 */
public final class DecomposerActor extends AbstractBehavior<DecomposerActor.Command> {

    public sealed interface Command {
    }

    /**
     * Plan the question of session {@code sessionId} and send its job to the solver pool; {@code replyTo} hears the
     * solver's replies, or one {@link SolverActor.SolveFailed} when the question is refused here.
     */
    public record Plan(String sessionId, String question, AskOptions options, Instant deadline,
                       ActorRef<SolverActor.Reply> replyTo) implements Command, SynodMessage {
    }

    public static Behavior<Command> create(ExpertRouting routing, ActorRef<SolverPool.Command> pool) {
        return Behaviors.setup(context -> new DecomposerActor(context, routing, pool));
    }

    private final ExpertRouting routing;
    private final ActorRef<SolverPool.Command> pool;

    private DecomposerActor(ActorContext<Command> context, ExpertRouting routing, ActorRef<SolverPool.Command> pool) {
        super(context);
        this.routing = routing;
        this.pool = pool;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Plan.class, this::onPlan)
                .build();
    }

    private Behavior<Command> onPlan(Plan plan) {
        String question;
        try {
            question = Reasoner.validate(plan.question());
        } catch (IllegalArgumentException invalid) {
            refuse(plan, Failure.Kind.INVALID_QUESTION, invalid.getMessage());
            return this;
        }
        Reasoner.Experts experts;
        try {
            experts = routing.route(question, plan.options().strategy());
        } catch (RuntimeException e) {
            // the routing's fault, not the question's: refused as unavailable, and the next question is routed anew
            getContext().getLog().error("the expert routing failed on \"{}\"", question, e);
            refuse(plan, Failure.Kind.UNAVAILABLE, "the expert routing failed: " + e);
            return this;
        }
        pool.tell(new SolverPool.Solve(new Job(plan.sessionId(), question, plan.options(), experts, plan.deadline(), 1),
                plan.replyTo()));
        return this;
    }

    private static void refuse(Plan plan, Failure.Kind kind, String reason) {
        plan.replyTo().tell(new SolverActor.SolveFailed(plan.sessionId(), kind, reason, false));
    }
}
