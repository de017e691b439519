// The settings under `synod.http { }`, read once from HOCON and checked; reference.conf documents each key.
package io.synod.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import java.time.Duration;

/**
 * The HTTP front end's settings. {@link #from(Config)} reads the {@code synod.http} section of a configuration
 * (keys it lacks come from reference.conf) and fails naming the key whose value is out of range. Immutable.
 *
 * @param host            the address to listen on
 * @param port            the port to listen on; 0 for a free one
 * @param adminToken      the bearer token of the adapter routes; empty when those routes are off
 * @param maxBodyBytes    the largest request body accepted
 * @param retryAfter      the Retry-After of 503 answers, in whole seconds
 * @param findLimit       entities a find returns when the request names no limit
 * @param neighboursLimit edges each way a neighbours look-up returns when the request names no limit
 * @param heartbeat       how often an answer stream sends a heartbeat while a step runs
 * @param streamBuffer    trace events held for a slow stream reader
 * @param terminateTimeout how long open connections may finish once the server stops
 */
public record HttpSettings(String host, int port, String adminToken, long maxBodyBytes, Duration retryAfter,
                           int findLimit, int neighboursLimit, Duration heartbeat, int streamBuffer,
                           Duration terminateTimeout) {

    public HttpSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("synod.http.host is empty; expected an address such as 127.0.0.1");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("synod.http.port is " + port + "; expected 0 to 65535");
        }
        adminToken = adminToken == null ? "" : adminToken.strip();
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("synod.http.max-body-bytes is " + maxBodyBytes + "; it must be at least 1 byte");
        }
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("synod.http.retry-after is " + retryAfter + "; it must not be negative");
        }
        if (findLimit < 1 || neighboursLimit < 1) {
            throw new IllegalArgumentException("synod.http.kg.find-limit and neighbours-limit must be at least 1, got "
                    + findLimit + " and " + neighboursLimit);
        }
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("synod.http.stream.heartbeat is " + heartbeat + "; it must be longer than zero");
        }
        if (streamBuffer < 16) {
            throw new IllegalArgumentException("synod.http.stream.buffer-size is " + streamBuffer + "; it must be at least 16");
        }
        if (terminateTimeout.isNegative()) {
            throw new IllegalArgumentException("synod.http.shutdown.terminate-timeout is " + terminateTimeout
                    + "; it must not be negative");
        }
    }

    /**
     * @param config a configuration with a {@code synod.http} section, or without one (reference.conf supplies
     *               every default)
     * @throws IllegalArgumentException naming the key whose value is not acceptable
     * @throws com.typesafe.config.ConfigException when a key is of the wrong type
     */
    public static HttpSettings from(Config config) {
        Config http = config.withFallback(ConfigFactory.defaultReference()).resolve().getConfig("synod.http");
        return new HttpSettings(http.getString("host").strip(), http.getInt("port"), http.getString("admin-token"),
                http.getBytes("max-body-bytes"), http.getDuration("retry-after"), http.getInt("kg.find-limit"),
                http.getInt("kg.neighbours-limit"), http.getDuration("stream.heartbeat"),
                http.getInt("stream.buffer-size"), http.getDuration("shutdown.terminate-timeout"));
    }

    /** Whether the adapter administration routes are on. */
    public boolean adminEnabled() {
        return !adminToken.isEmpty();
    }
}
