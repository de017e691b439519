// One question as a solver runs it.
package io.synod.actors.solver;

import io.synod.actors.SynodMessage;
import io.synod.decomposer.reasoning.AskOptions;
import io.synod.decomposer.reasoning.Reasoner;

import java.time.Instant;
import java.util.Objects;

/**
 * A question ready to solve: validated text, the options, the experts the router chose for each role, the
 * deadline after which nobody waits for the answer, and the attempt (1, or 2 for the retry after a solver
 * failure). Immutable.
 */
public record Job(String sessionId, String question, AskOptions options, Reasoner.Experts experts, Instant deadline,
                  int attempt) implements SynodMessage {

    public Job {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(experts, "experts");
        Objects.requireNonNull(deadline, "deadline");
    }

    public Job retry() {
        return new Job(sessionId, question, options, experts, deadline, attempt + 1);
    }
}
