// The decomposer as a model: it writes the next QS line of a DecomP program after reading the question and
// the steps run so far with their answers.
package io.synod.decomposer.model;

import io.synod.decomposer.model.DecomposerPrompt.DoneStep;
import io.synod.decomposer.program.ExecutedStep;
import io.synod.decomposer.program.ProgramParser;
import io.synod.decomposer.program.ProgramSyntaxException;
import io.synod.decomposer.program.Step;
import io.synod.decomposer.program.StepSource;
import io.synod.decomposer.prompts.PromptLibrary;
import io.synod.solvers.answering.ExpertChoice;
import io.synod.solvers.answering.ModelSolver;
import io.synod.solvers.knowledge.WalkGraph;
import io.synod.solvers.reasoning.Trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link StepSource} backed by a model: either a small model under the decomposition expert, reading
 * {@link DecomposerPrompt} (the embedded default), or a large instruct model with no adapter, reading the
 * few-shot programs of the {@link PromptLibrary} ({@link #fewShot}). Its line is parsed with
 * {@link ProgramParser#parseStep(String, int, int)}; a line that does not parse fails the run with the
 * parser's message and the line the model wrote (recorded in the trace by the executor). With an
 * {@code attempt}, the prompt carries DaSLaM's "Attempt:" line (the solver's first answer).
 */
public final class ModelDecomposer implements StepSource {

    /** The id of the trace events of routed decomposer calls: {@code decompose1}, {@code decompose2}, ... */
    public static final String ROUTED_EVENT = "decompose";

    private final ModelSolver model;
    private final ExpertChoice expert;
    private final String attempt;
    private final PromptLibrary library;
    private final WalkGraph graph;
    private final Trace trace;

    /** The trained decomposer; {@code graph} supplies the names it may ask about (null: any run of words). */
    public ModelDecomposer(ModelSolver model, String expert, String attempt, WalkGraph graph) {
        this(model, ExpertChoice.fixed(expert), attempt, null, graph, null);
    }

    /**
     * The trained decomposer under an expert choice. When the choice is routed, each line it writes is recorded in
     * {@code trace} (when given) as an event {@code decompose<n>} of handler {@code decomposer} whose adapter is
     * the gate's choice for that call; a fixed choice adds no events.
     */
    public ModelDecomposer(ModelSolver model, ExpertChoice expert, String attempt, WalkGraph graph, Trace trace) {
        this(model, expert, attempt, null, graph, trace);
    }

    private ModelDecomposer(ModelSolver model, ExpertChoice expert, String attempt, PromptLibrary library,
                            WalkGraph graph, Trace trace) {
        this.model = model;
        this.expert = expert;
        this.attempt = attempt;
        this.library = library;
        this.graph = graph;
        this.trace = trace;
    }

    /** A decomposer prompted with the library's instructions and few-shot programs, with no adapter. */
    public static ModelDecomposer fewShot(ModelSolver model, PromptLibrary library) {
        return new ModelDecomposer(model, ExpertChoice.fixed(null), null, library, null, null);
    }

    private long routedEvents() {
        return trace.events().stream().filter(event -> event.id().startsWith(ROUTED_EVENT)
                && event.handler().equals("decomposer")).count();
    }

    /**
     * The written step, or {@code [EOQ]} when the end is likelier than going on with an allowed step. Written token
     * by token, the line's first token weighs {@code [EOQ]} against all text that begins like a step, including
     * steps the candidates rule out: after "What is the capital of Togo?" and Lomé the model gives {@code [EOQ]}
     * 0.43 and most of the rest to testing the answer against Togo ({@code equals(#1, ...)}, where the only name
     * allowed is Togo, ruled out), so the line went on to a step the model gave 0.0005. Here the likelihood of the
     * texts that begin only ruled-out steps ({@link StepCandidates.Next#ruledOut()}, one batched scoring) is taken
     * from going on's share: the program ends when {@code p(EOQ) > 1 - p(EOQ) - p(ruled out)}. Text that is no
     * step at all (a misspelt name after an allowed beginning) still counts for going on: the constraint mends it
     * as the line is written.
     */
    private String endUnlessTheRestIsLikelier(String prompt, List<String> ruledOut, String expert, String written) {
        if (ruledOut.isEmpty()) {
            return written; // the first token already weighed [EOQ] against allowed steps alone
        }
        List<String> scored = new ArrayList<>();
        scored.add(" " + DecomposerPrompt.END);
        ruledOut.forEach(text -> scored.add(" " + text));
        double[] logLikelihoods = model.score(prompt, scored, expert);
        double end = Math.exp(logLikelihoods[0]);
        double excluded = 0;
        for (int i = 1; i < logLikelihoods.length; i++) {
            excluded += Math.exp(logLikelihoods[i]);
        }
        return end > 1 - end - excluded ? DecomposerPrompt.END : written;
    }

    @Override
    public Optional<Step> next(String question, List<ExecutedStep> done) throws ProgramSyntaxException {
        String line;
        if (library != null) {
            line = model.completeLine(library.prompt(question, done), null).replaceFirst("^QS:\\s*", "");
        } else {
            List<DoneStep> history = new ArrayList<>();
            for (ExecutedStep step : done) {
                history.add(new DoneStep(step.step().format().replaceFirst("^QS: ", ""), step.answerTexts()));
            }
            // constrained to well-formed lines (StepCandidates); the model chooses among them as it writes
            List<String> names = graph == null ? List.of() : graph.names(question);
            StepCandidates.Next next = StepCandidates.next(question, done, names, graph == null ? null : graph::askable);
            List<String> candidates = next.lines().stream().map(c -> " " + c).toList();
            String prompt = DecomposerPrompt.prompt(question, attempt, history);
            Trace.Step step = expert.isRouted() && trace != null ? trace.start(ROUTED_EVENT + (routedEvents() + 1),
                    null, "decomposer", question) : null;
            String chosen = expert.forPrompt(prompt);
            line = model.chooseLine(prompt, candidates, chosen);
            if (!line.equals(DecomposerPrompt.END) && next.lines().contains(DecomposerPrompt.END)) {
                line = endUnlessTheRestIsLikelier(prompt, next.ruledOut(), chosen, line);
            }
            if (step != null) {
                step.finish("QS: " + line, chosen, List.of());
            }
        }
        int lineNumber = 2 + 2 * done.size() + (attempt == null ? 0 : 1);
        try {
            return ProgramParser.parseStep("QS: " + line, lineNumber, done.size() + 1);
        } catch (ProgramSyntaxException e) {
            throw new ProgramSyntaxException(e.lineNumber(), "the decomposition model wrote a malformed step: "
                    + e.problem());
        }
    }
}
