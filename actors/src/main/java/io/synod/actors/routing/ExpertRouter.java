// The expert router actor: answers which experts a question's roles use.
package io.synod.actors.routing;

import io.synod.actors.SynodMessage;
import io.synod.decomposer.reasoning.Reasoner;
import io.synod.decomposer.reasoning.Strategy;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Picks the experts for each question with its {@link ExpertRouting}. An actor of its own so that learned
 * routing (with state: gate weights, statistics of which expert did well) can replace the fixed experts
 * without touching the sessions.
 */
public final class ExpertRouter extends AbstractBehavior<ExpertRouter.Command> {

    public sealed interface Command extends SynodMessage {
    }

    public record Route(String question, Strategy strategy, ActorRef<Routed> replyTo) implements Command {
    }

    public record Routed(Reasoner.Experts experts) implements SynodMessage {
    }

    public static Behavior<Command> create(ExpertRouting routing) {
        return Behaviors.setup(context -> new ExpertRouter(context, routing));
    }

    private final ExpertRouting routing;

    private ExpertRouter(ActorContext<Command> context, ExpertRouting routing) {
        super(context);
        this.routing = routing;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Route.class, this::onRoute)
                .build();
    }

    private Behavior<Command> onRoute(Route route) {
        route.replyTo().tell(new Routed(routing.route(route.question(), route.strategy())));
        return this;
    }
}
