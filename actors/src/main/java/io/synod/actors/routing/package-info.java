/** How a question's experts are chosen: fixed experts (the default), or the expert gate per sub-question. */
package io.synod.actors.routing;
