// The decomposer actor: turns a question into a plan a solver can run (checked text, strategy, experts).
package io.synod.actors.decomposer;

import io.synod.actors.SynodMessage;
import io.synod.actors.routing.ExpertRouter;
import io.synod.decomposer.reasoning.AskOptions;
import io.synod.decomposer.reasoning.Reasoner;

import java.time.Duration;

import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Plans a question: checks it ({@link Reasoner#validate}: not empty, not too long, plain text) and asks the
 * {@link ExpertRouter} for the experts of its roles. The DecomP program itself is written by the model inside
 * the solver, line by line, because each line is conditioned on the answers to the lines before it (the
 * {@link Reasoner} interleaves writing and running the program); this actor is where a program-level plan
 * (a decomposition model of its own, a cache of programs) would go.
 */
public final class DecomposerActor extends AbstractBehavior<DecomposerActor.Command> {

    public sealed interface Command {
    }

    public record Plan(String question, AskOptions options, ActorRef<Reply> replyTo) implements Command, SynodMessage {
    }

    /** Local: made in this actor from the router's reply or the ask's failure. */
    private record RouterReplied(Plan plan, String question, ExpertRouter.Routed routed, Throwable failure)
            implements Command, NoSerializationVerificationNeeded {
    }

    public sealed interface Reply extends SynodMessage {
    }

    /** The checked question (stripped) with the experts of its roles. */
    public record Planned(String question, AskOptions options, Reasoner.Experts experts) implements Reply {
    }

    /** The question cannot be answered as asked, or no experts could be chosen. */
    public record Refused(String reason, boolean invalidQuestion) implements Reply {
    }

    public static Behavior<Command> create(ActorRef<ExpertRouter.Command> router, Duration routingTimeout) {
        return Behaviors.setup(context -> new DecomposerActor(context, router, routingTimeout));
    }

    private final ActorRef<ExpertRouter.Command> router;
    private final Duration routingTimeout;

    private DecomposerActor(ActorContext<Command> context, ActorRef<ExpertRouter.Command> router,
                            Duration routingTimeout) {
        super(context);
        this.router = router;
        this.routingTimeout = routingTimeout;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Plan.class, this::onPlan)
                .onMessage(RouterReplied.class, this::onRouterReplied)
                .build();
    }

    private Behavior<Command> onPlan(Plan plan) {
        String question;
        try {
            question = Reasoner.validate(plan.question());
        } catch (IllegalArgumentException invalid) {
            plan.replyTo().tell(new Refused(invalid.getMessage(), true));
            return this;
        }
        getContext().ask(ExpertRouter.Routed.class, router, routingTimeout,
                replyTo -> new ExpertRouter.Route(question, plan.options().strategy(), replyTo),
                (routed, failure) -> new RouterReplied(plan, question, routed, failure));
        return this;
    }

    private Behavior<Command> onRouterReplied(RouterReplied replied) {
        if (replied.routed() == null) {
            replied.plan().replyTo().tell(new Refused("the expert router did not answer within " + routingTimeout
                    + " (synod.experts.routing-timeout): " + replied.failure().getMessage(), false));
        } else {
            replied.plan().replyTo().tell(new Planned(replied.question(), replied.plan().options(),
                    replied.routed().experts()));
        }
        return this;
    }
}
