/** The session of one question (deadline, single reply, retry, trace) and the manager that admits questions. */
package io.synod.actors.session;
