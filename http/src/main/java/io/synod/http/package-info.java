/**
 * The Pekko HTTP API: answers, trace streaming, admin routes, knowledge-graph look-ups and metrics. Builds on actors.
 */
package io.synod.http;
