// The decomposer as a model: it writes the next QS line of a DecomP program after reading the question and
// the steps run so far with their answers.
package io.synod.decomposer.model;

import io.synod.decomposer.model.DecomposerPrompt.DoneStep;
import io.synod.decomposer.program.ExecutedStep;
import io.synod.decomposer.program.ProgramParser;
import io.synod.decomposer.program.ProgramSyntaxException;
import io.synod.decomposer.program.Step;
import io.synod.decomposer.program.StepSource;
import io.synod.solvers.answering.ModelSolver;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link StepSource} backed by a model under the decomposition expert. Its line is parsed with
 * {@link ProgramParser#parseStep(String, int, int)}; a line that does not parse fails the run with the
 * parser's message and the line the model wrote (recorded in the trace by the executor). With an
 * {@code attempt}, the prompt carries DaSLaM's "Attempt:" line (the solver's first answer).
 */
public final class ModelDecomposer implements StepSource {

    private final ModelSolver model;
    private final String expert;
    private final String attempt;

    public ModelDecomposer(ModelSolver model, String expert, String attempt) {
        this.model = model;
        this.expert = expert;
        this.attempt = attempt;
    }

    @Override
    public Optional<Step> next(String question, List<ExecutedStep> done) throws ProgramSyntaxException {
        List<DoneStep> history = new ArrayList<>();
        for (ExecutedStep step : done) {
            history.add(new DoneStep(step.step().format().replaceFirst("^QS: ", ""), step.answerTexts()));
        }
        String line = model.completeLine(DecomposerPrompt.prompt(question, attempt, history), expert);
        int lineNumber = 2 + 2 * done.size() + (attempt == null ? 0 : 1);
        try {
            return ProgramParser.parseStep("QS: " + line, lineNumber, done.size() + 1);
        } catch (ProgramSyntaxException e) {
            throw new ProgramSyntaxException(e.lineNumber(), "the decomposition model wrote a malformed step: "
                    + e.problem());
        }
    }
}
