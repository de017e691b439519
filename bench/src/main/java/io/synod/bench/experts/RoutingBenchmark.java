// The router's costs on the embedded default: the gate per sub-question, and a forward pass under a two-expert
// mixture against one adapter and against none.
package io.synod.bench.experts;

import io.synod.adapters.experts.ExpertCard;
import io.synod.bench.BenchCommand;
import io.synod.bench.Latencies;
import io.synod.decomposer.model.DefaultModel;
import io.synod.solvers.answering.ModelSolver;
import io.synod.solvers.experts.ExpertGate;
import io.synod.solvers.experts.GateOptions;
import io.synod.solvers.model.RuntimeOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Prompts are the exemplar inputs of the bank's cards (16 each: decomposer programs, walk decisions, questions,
 * questions with facts, definitions), each with its gold output. Per round and prompt, interleaved so that a busy
 * machine slows every variant alike:
 * <ul>
 *   <li>each gate ({@link ExpertGate#route}: the base model's state of the prompt, the gate's scores, softmax,
 *       top-k): the default gate (the trained one, on the token embeddings, when the model has it), the similarity
 *       gate on the token embeddings, and the similarity gate on the last layer's states (a full base forward
 *       pass);</li>
 *   <li>a forward pass scoring the gold output after the prompt ({@link ModelSolver#score}) with no adapter, with
 *       the prompt's own expert, and with the two-expert mixture {@code expert:0.5+other:0.5} (one pass, the two
 *       updates concatenated along the rank).</li>
 * </ul>
 * {@code gate_ms_p50} is the default gate's median; the last line is
 * {@code mixture_cost_ratio: <median mixture pass / median one-adapter pass>}.
 * {@code bench/run routing [--rounds N] [--threads N]}.
 */
@Command(name = "bench/run routing", sortOptions = false,
        description = "The router's cost on the embedded default: each gate per sub-question, and a two-expert"
                + " mixture's pass. The last line is mixture_cost_ratio: <ratio>.")
public final class RoutingBenchmark implements Callable<Integer> {

    @Option(names = "--rounds", defaultValue = "5", paramLabel = "N", converter = BenchCommand.Positive.class,
            description = "timed rounds over every prompt, after one warm-up round (${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "PyTorch threads (${DEFAULT-VALUE})")
    int threads;

    @Mixin
    BenchCommand.Help help;

    private RoutingBenchmark() {
    }

    public static void main(String[] args) {
        BenchCommand.execute(new RoutingBenchmark(), args);
    }

    @Override
    public Integer call() {
        try (ModelSolver model = DefaultModel.load(RuntimeOptions.defaults().withThreads(threads))) {
            List<String[]> prompts = new ArrayList<>();   // {prompt, gold, expert, other expert}
            List<String> experts = model.experts();
            for (int e = 0; e < experts.size(); e++) {
                String expert = experts.get(e);
                String other = experts.get((e + 1) % experts.size());
                ExpertCard card = model.card(expert).orElseThrow(() -> new IllegalStateException(expert + " has no card"));
                for (ExpertCard.Exemplar exemplar : card.exemplars()) {
                    prompts.add(new String[] {exemplar.input(), exemplar.output(), expert, other});
                }
            }
            ExpertGate gate = ExpertGate.of(model, GateOptions.defaults());
            ExpertGate embeddings = ExpertGate.of(model, GateOptions.defaults().withKind(GateOptions.Kind.SIMILARITY));
            ExpertGate lastLayer = ExpertGate.of(model,
                    GateOptions.defaults().withKind(GateOptions.Kind.SIMILARITY).withLayers(-1));
            Latencies gated = new Latencies();
            Latencies similarityEmbeddings = new Latencies();
            Latencies similarityLastLayer = new Latencies();
            Latencies none = new Latencies();
            Latencies one = new Latencies();
            Latencies mixed = new Latencies();
            for (int round = -1; round < rounds; round++) {   // round -1 warms up
                for (String[] prompt : prompts) {
                    long start = System.nanoTime();
                    gate.route(prompt[0]);
                    long gateNanos = System.nanoTime() - start;
                    start = System.nanoTime();
                    embeddings.route(prompt[0]);
                    long embeddingsNanos = System.nanoTime() - start;
                    start = System.nanoTime();
                    lastLayer.route(prompt[0]);
                    long lastLayerNanos = System.nanoTime() - start;
                    start = System.nanoTime();
                    model.score(prompt[0], List.of(prompt[1]), null);
                    long noneNanos = System.nanoTime() - start;
                    start = System.nanoTime();
                    model.score(prompt[0], List.of(prompt[1]), prompt[2]);
                    long oneNanos = System.nanoTime() - start;
                    start = System.nanoTime();
                    model.score(prompt[0], List.of(prompt[1]), prompt[2] + ":0.5+" + prompt[3] + ":0.5");
                    long mixedNanos = System.nanoTime() - start;
                    if (round >= 0) {
                        gated.add(gateNanos);
                        similarityEmbeddings.add(embeddingsNanos);
                        similarityLastLayer.add(lastLayerNanos);
                        none.add(noneNanos);
                        one.add(oneNanos);
                        mixed.add(mixedNanos);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%d prompts (the exemplars of %d experts) x %d rounds, %d PyTorch thread%s%n",
                    prompts.size(), experts.size(), rounds, threads, threads == 1 ? "" : "s");
            String label = String.format(Locale.ROOT, "gate, default (%s, state after %d layers):", gate.kind(), gate.layers());
            System.out.println(label + " ".repeat(Math.max(1, 49 - label.length())) + gated.summary());
            System.out.println("gate, similarity on the token embeddings:        " + similarityEmbeddings.summary());
            System.out.println("gate, similarity on the last layer:              " + similarityLastLayer.summary());
            System.out.println("forward pass, no adapter:                        " + none.summary());
            System.out.println("forward pass, one adapter:                       " + one.summary());
            System.out.println("forward pass, two-expert mixture:                " + mixed.summary());
            System.out.printf(Locale.ROOT, "gate_ms_p50: %.2f%n", gated.percentileMicros(0.5) / 1000);
            System.out.printf(Locale.ROOT, "mixture_cost_ratio: %.2f%n", mixed.percentileMicros(0.5) / one.percentileMicros(0.5));
        }
        return 0;
    }
}
