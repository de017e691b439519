// The adapter manager: lists, loads and unloads the LoRA adapters resident in the solvers' models, one change at a time.
package io.synod.actors.adapters;

import io.synod.actors.Failure;
import io.synod.actors.SynodMessage;
import io.synod.actors.solver.SolverPool;
import io.synod.adapters.experts.KShotExample;
import io.synod.adapters.lora.LoraAdapter;
import io.synod.solvers.experts.ExpertSelector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;

/**
 * Adapter administration, and K-shot expert selection. Adapters are loaded by name from the catalogue directory (one PEFT adapter per
 * sub-directory: {@code synod.adapters.directory}, by default the served model's {@code adapters/}) into every
 * solver of the pool, or unloaded from them. Requests run one at a time (a change waits for each solver to
 * finish its current question); up to {@value #MAX_WAITING} wait their turn, more are refused as overloaded.
 * Runs on the blocking dispatcher: it reads the catalogue directory.
 */
public final class AdapterManager extends AbstractBehavior<AdapterManager.Command> {

    /** Requests that may wait while another is in progress. */
    public static final int MAX_WAITING = 64;

    /** Adapter names: a letter or digit, then letters, digits, '.', '_' or '-' (so never a path). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    public sealed interface Command {
    }

    public record ListAdapters(ActorRef<Reply> replyTo) implements Command, SynodMessage {
    }

    /** Load the catalogue's adapter {@code name} into every solver. */
    public record LoadAdapter(String name, ActorRef<Reply> replyTo) implements Command, SynodMessage {
    }

    /** Unload the resident adapter {@code name} from every solver. */
    public record UnloadAdapter(String name, ActorRef<Reply> replyTo) implements Command, SynodMessage {
    }

    /**
     * K-shot expert selection among {@code candidates} (empty: every resident expert and catalogue adapter) on
     * one solver's model; replies {@link Selected} or {@link AdapterFailed}. Runs in turn with adapter changes,
     * since candidates from the catalogue are loaded for their measurement.
     */
    public record SelectExperts(List<KShotExample> examples, List<String> candidates, int m, int n,
                                ActorRef<Reply> replyTo) implements Command, SynodMessage {
        public SelectExperts {
            examples = List.copyOf(examples);
            candidates = List.copyOf(candidates);
        }
    }

    /** Local: made in this actor from the pool's reply, or the failure of asking it. */
    private record PoolReplied(SolverPool.AdapterReply reply, Throwable failure, ActorRef<Reply> replyTo)
            implements Command, NoSerializationVerificationNeeded {
    }

    public sealed interface Reply extends SynodMessage {
    }

    /**
     * The adapters resident in the solvers' models, and those the catalogue directory offers.
     *
     * @param catalogue the directory adapters are loaded from by name
     */
    public record Listing(List<String> resident, List<String> available, String catalogue) implements Reply {
        public Listing {
            resident = List.copyOf(resident);
            available = List.copyOf(available);
        }
    }

    public record AdapterFailed(Failure failure) implements Reply {
    }

    /** A K-shot selection's report. */
    public record Selected(ExpertSelector.Report report) implements Reply {
    }

    /**
     * @param catalogue the catalogue directory, resolved on first use (it may unpack the default model)
     * @param timeout   how long a change may take across the pool
     */
    public static Behavior<Command> create(ActorRef<SolverPool.Command> pool, Supplier<Path> catalogue, Duration timeout) {
        return Behaviors.withStash(MAX_WAITING, stash -> Behaviors.setup(context ->
                new AdapterManager(context, stash, pool, catalogue, timeout)));
    }

    private final StashBuffer<Command> waiting;
    private final ActorRef<SolverPool.Command> pool;
    private final Supplier<Path> catalogueSource;
    private final Duration timeout;
    private Path catalogue;
    private boolean changing;

    private AdapterManager(ActorContext<Command> context, StashBuffer<Command> waiting, ActorRef<SolverPool.Command> pool,
                           Supplier<Path> catalogue, Duration timeout) {
        super(context);
        this.waiting = waiting;
        this.pool = pool;
        this.catalogueSource = catalogue;
        this.timeout = timeout;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(ListAdapters.class, list -> inTurn(list, list.replyTo(), () -> onListAdapters(list)))
                .onMessage(LoadAdapter.class, load -> inTurn(load, load.replyTo(), () -> onLoadAdapter(load)))
                .onMessage(UnloadAdapter.class, unload -> inTurn(unload, unload.replyTo(), () -> onUnloadAdapter(unload)))
                .onMessage(SelectExperts.class, select -> inTurn(select, select.replyTo(), () -> onSelectExperts(select)))
                .onMessage(PoolReplied.class, this::onPoolReplied)
                .build();
    }

    /** Runs the request now, or keeps it until the change in progress is done. */
    private Behavior<Command> inTurn(Command request, ActorRef<Reply> replyTo, Supplier<Behavior<Command>> handler) {
        if (!changing) {
            try {
                return handler.get();
            } catch (RuntimeException e) {
                // the catalogue cannot be resolved (a bad model directory): say so, and stay
                replyTo.tell(new AdapterFailed(Failure.of(Failure.Kind.UNAVAILABLE, e.getMessage())));
                changing = false;
                return this;
            }
        }
        if (waiting.isFull()) {
            replyTo.tell(new AdapterFailed(Failure.of(Failure.Kind.OVERLOADED, MAX_WAITING
                    + " adapter requests are already waiting; try again shortly")));
        } else {
            waiting.stash(request);
        }
        return this;
    }

    private Behavior<Command> onListAdapters(ListAdapters list) {
        catalogue();
        return askPool(list.replyTo(), SolverPool.GetResident::new);
    }

    private Behavior<Command> onLoadAdapter(LoadAdapter load) {
        AdapterFailed invalid = checkName(load.name());
        if (invalid != null) {
            load.replyTo().tell(invalid);
            return this;
        }
        Path directory = catalogue().resolve(load.name());
        if (!Files.isRegularFile(directory.resolve(LoraAdapter.CONFIG_FILE))) {
            load.replyTo().tell(new AdapterFailed(Failure.of(Failure.Kind.NOT_FOUND, "the catalogue " + catalogue()
                    + " has no adapter '" + load.name() + "' (a sub-directory with " + LoraAdapter.CONFIG_FILE
                    + "); it offers " + available())));
            return this;
        }
        return askPool(load.replyTo(), replyTo -> new SolverPool.LoadAdapter(load.name(), directory.toString(), replyTo));
    }

    private Behavior<Command> onUnloadAdapter(UnloadAdapter unload) {
        AdapterFailed invalid = checkName(unload.name());
        if (invalid != null) {
            unload.replyTo().tell(invalid);
            return this;
        }
        return askPool(unload.replyTo(), replyTo -> new SolverPool.UnloadAdapter(unload.name(), replyTo));
    }

    private Behavior<Command> onSelectExperts(SelectExperts select) {
        for (String name : select.candidates()) {
            AdapterFailed invalid = checkName(name);
            if (invalid != null) {
                select.replyTo().tell(invalid);
                return this;
            }
        }
        String directory = catalogue().toString();
        return askPool(select.replyTo(), replyTo -> new SolverPool.SelectExperts(select.examples(), select.candidates(),
                select.m(), select.n(), directory, replyTo));
    }

    private Behavior<Command> askPool(ActorRef<Reply> replyTo,
                                      Function<ActorRef<SolverPool.AdapterReply>, SolverPool.Command> request) {
        changing = true;
        // the pool's fan-out gives up after the timeout; this ask waits a little longer for its answer
        getContext().ask(SolverPool.AdapterReply.class, pool, timeout.plusSeconds(5), request::apply,
                (reply, failure) -> new PoolReplied(reply, failure, replyTo));
        return this;
    }

    private Behavior<Command> onPoolReplied(PoolReplied replied) {
        Reply reply;
        if (replied.reply() instanceof SolverPool.Resident resident) {
            reply = new Listing(resident.names(), available(), catalogue().toString());
        } else if (replied.reply() instanceof SolverPool.ExpertsSelected selected) {
            reply = new Selected(selected.report());
        } else if (replied.reply() instanceof SolverPool.AdapterRefused refused) {
            reply = new AdapterFailed(refused.failure());
        } else {
            reply = new AdapterFailed(Failure.of(Failure.Kind.UNAVAILABLE, "the solver pool did not answer: "
                    + replied.failure().getMessage()));
        }
        replied.replyTo().tell(reply);
        changing = false;
        return waiting.unstashAll(this);
    }

    private static AdapterFailed checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return new AdapterFailed(Failure.of(Failure.Kind.INVALID_REQUEST, "'" + name + "' is not an adapter name:"
                    + " expected a letter or digit, then letters, digits, '.', '_' or '-' (at most 100)"));
        }
        return null;
    }

    private Path catalogue() {
        if (catalogue == null) {
            catalogue = catalogueSource.get();
        }
        return catalogue;
    }

    /** The catalogue's adapters: sub-directories holding an adapter config, not hidden, by name. */
    private List<String> available() {
        Path directory = catalogue();
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(entry -> Files.isRegularFile(entry.resolve(LoraAdapter.CONFIG_FILE)))
                    .map(entry -> entry.getFileName().toString())
                    .filter(name -> !name.startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            getContext().getLog().warn("cannot list the adapter catalogue {}: {}", directory, e.toString());
            return List.of();
        }
    }
}
