// The HTTP server: binds the API's routes over a started Synod, and stops in two steps for a graceful shutdown.
package io.synod.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.synod.actors.Synod;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synod's HTTP API, listening. {@link #start} binds the {@link Routes} over a started {@link Synod} (which it does
 * not own: the caller closes it) on an actor system of its own, so that the HTTP layer uses nothing of Synod's but
 * its public API.
 *
 * <pre>{@code
 * try (Synod synod = Synod.start(config); SynodHttp http = SynodHttp.start(synod, config)) {
 *     System.out.println("listening on " + http.address());
 *     ...
 *     http.stopAccepting();   // no new connections
 *     synod.close();          // questions in flight finish or fail within synod.shutdown.drain-timeout
 * }                           // open connections get synod.http.shutdown.terminate-timeout, then close
 * }</pre>
 *
 * Thread-safe; {@link #close()} may be called more than once.
 */
public final class SynodHttp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SynodHttp.class);

    /** How long binding may take before start gives up. */
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);

    private final ActorSystem<Void> system;
    private final ServerBinding binding;
    private final Routes routes;
    private final HttpMetrics metrics;
    private final HttpSettings settings;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SynodHttp(ActorSystem<Void> system, ServerBinding binding, Routes routes, HttpMetrics metrics,
                      HttpSettings settings) {
        this.system = system;
        this.binding = binding;
        this.routes = routes;
        this.metrics = metrics;
        this.settings = settings;
    }

    /** Binds with the settings of {@code config}'s {@code synod.http} section (reference.conf supplies defaults). */
    public static SynodHttp start(Synod synod, Config config) {
        return start(synod, HttpSettings.from(config), config);
    }

    /**
     * Binds the API on {@code settings.host():settings.port()} and returns once it listens.
     *
     * @param config Pekko settings of the server's actor system ({@code pekko.http.server...}); the idle timeout
     *               is raised to outlast the longest question Synod accepts
     * @throws IllegalStateException naming the address when it cannot be bound (in use, not local)
     */
    public static SynodHttp start(Synod synod, HttpSettings settings, Config config) {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "synod-http",
                serverConfig(config, synod.settings().sessions().maxDeadline()));
        try {
            HttpMetrics metrics = new HttpMetrics(synod);
            Routes routes = new Routes(synod, settings, metrics);
            ServerBinding binding = Http.get(system).newServerAt(settings.host(), settings.port()).bind(routes.route())
                    .toCompletableFuture().get(BIND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            log.info("Synod's HTTP API listens on {}", binding.localAddress());
            return new SynodHttp(system, binding, routes, metrics, settings);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            system.terminate();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port() + ": " + cause, cause);
        } catch (InterruptedException e) {
            system.terminate();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + settings.host() + ":" + settings.port(), e);
        }
    }

    /** The server's config: {@code config} over reference.conf, with an idle timeout longer than any question. */
    private static Config serverConfig(Config config, Duration maxDeadline) {
        Config complete = config.withFallback(ConfigFactory.defaultReference()).resolve();
        String key = "pekko.http.server.idle-timeout";
        Duration needed = maxDeadline.plusMinutes(1);
        boolean infinite = complete.getString(key).equals("infinite");
        if (!infinite && complete.getDuration(key).compareTo(needed) < 0) {
            return ConfigFactory.parseMap(Map.of(key, needed.toMillis() + " ms")).withFallback(complete);
        }
        return complete;
    }

    /** The address the server listens on (with the port chosen when the settings asked for port 0). */
    public InetSocketAddress address() {
        return binding.localAddress();
    }

    /** The address as a base URL, {@code http://127.0.0.1:8080}. */
    public String baseUrl() {
        InetSocketAddress address = address();
        String host = address.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    public ServerBinding binding() {
        return binding;
    }

    /** The routes served, as the tree declares them. */
    public Routes routes() {
        return routes;
    }

    public HttpMetrics metrics() {
        return metrics;
    }

    /** Stops accepting connections; requests on open connections go on. Waits at most a few seconds. */
    public void stopAccepting() {
        await(binding.unbind(), Duration.ofSeconds(5), "the server did not stop accepting connections cleanly");
    }

    /**
     * Stops accepting, lets open requests finish for {@code synod.http.shutdown.terminate-timeout} (then answers
     * them 503 and closes their connections), and stops the server's actor system. Leaves the {@link Synod} as it
     * is. Later calls do nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Duration deadline = settings.terminateTimeout();
        await(binding.terminate(deadline), deadline.plusSeconds(5), "the server's connections did not close cleanly");
        system.terminate();
        await(system.getWhenTerminated(), Duration.ofSeconds(10), "the server's actor system did not stop cleanly");
    }

    /** Waits for a step of stopping; one that fails or takes too long is logged, and stopping goes on. */
    private static void await(CompletionStage<?> step, Duration timeout, String failure) {
        try {
            step.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("{}: {}", failure, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
