/**
 * The Pekko HTTP API over the embedded {@link io.synod.actors.Synod}: answers and their trace streams (server-sent
 * events), token-protected adapter administration, knowledge-graph look-ups, health, readiness and Prometheus
 * metrics. {@link io.synod.http.SynodHttp} binds the {@link io.synod.http.Routes} over a started Synod; the
 * settings are {@code synod.http} in reference.conf; docs/http.md and {@code openapi.yaml} describe the routes.
 */
package io.synod.http;
