/** The expert router actor and its routings: fixed experts (the default), or the similarity gate per sub-question. */
package io.synod.actors.routing;
