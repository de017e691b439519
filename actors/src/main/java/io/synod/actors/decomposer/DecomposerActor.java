// The decomposer actor: turns a question into a plan a solver can run (checked text, strategy, experts).
package io.synod.actors.decomposer;

import io.synod.actors.SynodMessage;
import io.synod.actors.routing.ExpertRouting;
import io.synod.decomposer.reasoning.AskOptions;
import io.synod.decomposer.reasoning.Reasoner;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Plans a question: checks it ({@link Reasoner#validate}: not empty, not too long, plain text) and chooses the
 * experts of its roles with its {@link ExpertRouting}, called here, in this actor, one question at a time (so a
 * learned routing with state needs no locking, and a question costs no round trip to another actor). The DecomP
 * program itself is written by the model inside the solver, line by line, because each line is conditioned on the
 * answers to the lines before it (the {@link Reasoner} interleaves writing and running the program); this actor is
 * where a program-level plan (a decomposition model of its own, a cache of programs) would go.
 */
public final class DecomposerActor extends AbstractBehavior<DecomposerActor.Command> {

    public sealed interface Command {
    }

    public record Plan(String question, AskOptions options, ActorRef<Reply> replyTo) implements Command, SynodMessage {
    }

    public sealed interface Reply extends SynodMessage {
    }

    /** The checked question (stripped) with the experts of its roles. */
    public record Planned(String question, AskOptions options, Reasoner.Experts experts) implements Reply {
    }

    /** The question cannot be answered as asked, or no experts could be chosen. */
    public record Refused(String reason, boolean invalidQuestion) implements Reply {
    }

    public static Behavior<Command> create(ExpertRouting routing) {
        return Behaviors.setup(context -> new DecomposerActor(context, routing));
    }

    private final ExpertRouting routing;

    private DecomposerActor(ActorContext<Command> context, ExpertRouting routing) {
        super(context);
        this.routing = routing;
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
            plan.replyTo().tell(new Refused(invalid.getMessage(), true));
            return this;
        }
        Reasoner.Experts experts;
        try {
            experts = routing.route(question, plan.options().strategy());
        } catch (RuntimeException e) {
            // the routing's fault, not the question's: refused as unavailable, and the next question is routed anew
            getContext().getLog().error("the expert routing failed on \"{}\"", question, e);
            plan.replyTo().tell(new Refused("the expert routing failed: " + e, false));
            return this;
        }
        plan.replyTo().tell(new Planned(question, plan.options(), experts));
        return this;
    }
}
