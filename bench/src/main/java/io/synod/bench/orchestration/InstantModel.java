// The model of the orchestration benchmark: it answers without computing, so the benchmark measures the
// orchestration around the calls, not the calls.
package io.synod.bench.orchestration;

/** Replies at once; the reply depends on the prompt so that nothing can be cached away. */
public final class InstantModel {
    private InstantModel() {
    }

    public static String reply(String prompt) {
        return "r" + Integer.toHexString(prompt.hashCode());
    }
}
