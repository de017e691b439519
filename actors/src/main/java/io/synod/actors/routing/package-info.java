/** The routing interface that chooses a question's experts, and the fixed experts of today. */
package io.synod.actors.routing;
