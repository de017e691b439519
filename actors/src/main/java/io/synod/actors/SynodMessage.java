// The marker of every message that may cross machines: reference.conf binds it to Jackson CBOR.
package io.synod.actors;

/**
 * Implemented by every actor message that is a plain immutable record (strings, numbers, records, lists,
 * actor references): {@code reference.conf} binds this interface to Pekko's {@code jackson-cbor} serializer,
 * so that a later cluster can send the messages between machines. Java serialization is never used. Messages
 * that carry live local objects (a loaded graph) implement
 * {@link org.apache.pekko.actor.NoSerializationVerificationNeeded} instead and never leave their node.
 */
public interface SynodMessage {
}
