/** The knowledge solver actor: look-ups in the loaded graph. */
package io.synod.actors.knowledge;
