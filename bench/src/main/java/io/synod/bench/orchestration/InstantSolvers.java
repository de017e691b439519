// Synod's side of the orchestration benchmark: solvers whose model answers at once, running the same three
// steps as the LangChain4j peer (decompose, solve, combine), each recorded as a trace event.
package io.synod.bench.orchestration;

import io.synod.actors.solver.Job;
import io.synod.actors.solver.Solver;
import io.synod.actors.solver.SolverFactory;
import io.synod.decomposer.reasoning.Answer;
import io.synod.kg.KnowledgeGraph;
import io.synod.solvers.reasoning.TraceEvent;
import io.synod.solvers.reasoning.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** Makes solvers that call {@link InstantModel} three times per question. */
final class InstantSolvers implements SolverFactory {

    @Override
    public Solver create(KnowledgeGraph graph) {
        return new Solver() {
            private final AtomicLong calls = new AtomicLong();

            @Override
            public Answer solve(Job job, Consumer<TraceEvent> listener) {
                List<TraceEvent> trace = new ArrayList<>(3);
                String plan = step(trace, listener, "1", "decomposer", "Decompose into sub-questions: " + job.question());
                String solution = step(trace, listener, "2", "lm", "Answer each sub-question: " + plan);
                String answer = step(trace, listener, "3", "lm",
                        "Question: " + job.question() + "\nFacts: " + solution + "\nAnswer:");
                return new Answer(job.question(), job.options().strategy(), List.of(Value.of(answer)), null, null,
                        List.of(), trace, 3);
            }

            private String step(List<TraceEvent> trace, Consumer<TraceEvent> listener, String id, String handler,
                                String prompt) {
                calls.incrementAndGet();
                String output = InstantModel.reply(prompt);
                TraceEvent event = new TraceEvent(id, null, handler, prompt, output, null, 0, 0, null, List.of());
                trace.add(event);
                listener.accept(event);
                return output;
            }

            @Override
            public List<String> adapters() {
                return List.of();
            }

            @Override
            public void loadAdapter(String name, Path directory) {
                throw new UnsupportedOperationException("the instant model holds no adapters");
            }

            @Override
            public void unloadAdapter(String name) {
                throw new UnsupportedOperationException("the instant model holds no adapters");
            }

            @Override
            public long modelCalls() {
                return calls.get();
            }

            @Override
            public void close() {
            }
        };
    }
}
