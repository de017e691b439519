/** The expert router actor and the routing interface that learned routing will implement. */
package io.synod.actors.routing;
