/** How a question's experts are chosen: fixed experts (the default), or the similarity gate per sub-question. */
package io.synod.actors.routing;
