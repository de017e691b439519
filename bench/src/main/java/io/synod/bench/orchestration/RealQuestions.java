// The end-to-end figure beside the orchestration's cost: questions of the test split answered one at a time by
// the embedded default model through Synod's embedded API.
package io.synod.bench.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synod.actors.Synod;
import io.synod.bench.Latencies;
import io.synod.decomposer.reasoning.Answer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

final class RealQuestions {
    private static final String TEST_SPLIT = "/io/synod/kg/world/questions/test.jsonl";

    private RealQuestions() {
    }

    /** Asks every k-th test question, {@code count} in all, and prints their latency percentiles. */
    static void report(int count) throws IOException {
        List<String> all = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                RealQuestions.class.getResourceAsStream(TEST_SPLIT), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    JsonNode node = json.readTree(line);
                    all.add(node.get("question").asText());
                }
            }
        }
        int stride = Math.max(1, all.size() / count);
        Latencies latencies = new Latencies();
        int known = 0;
        System.err.println("starting Synod on the embedded default model and the bundled graph...");
        try (Synod synod = Synod.start()) {
            synod.whenReady().toCompletableFuture().join();
            synod.ask(all.get(0)).toCompletableFuture().join();   // warm-up
            for (int i = 0; i < all.size() && latencies.count() < count; i += stride) {
                long started = System.nanoTime();
                Answer answer = synod.ask(all.get(i)).toCompletableFuture().join();
                latencies.add(System.nanoTime() - started);
                if (!answer.text().equals(Answer.UNKNOWN)) {
                    known++;
                }
            }
        }
        System.out.printf(Locale.ROOT, "embedded default model end to end, one question at a time: p50 %.1f ms,"
                        + " p95 %.1f ms over %d test questions (%d answered, the rest unknown)%n",
                latencies.percentileMicros(0.5) / 1000, latencies.percentileMicros(0.95) / 1000, latencies.count(), known);
    }
}
