// The question file that `synod eval` and `synod experts eval` answer, and how many of its questions.
package io.synod.app.ask;

import io.synod.decomposer.reasoning.Evaluation;
import io.synod.decomposer.reasoning.Evaluation.Question;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --questions} and {@code --limit}: a picocli mixin. */
public final class QuestionsOption {

    @Option(names = "--questions", required = true, paramLabel = "FILE", description = "The questions, JSON Lines. Required.")
    Path file;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
            description = "Answer at most N of the questions taken from the file, the first ones; 0 for all (default:"
                    + " ${DEFAULT-VALUE}).")
    int limit;

    /** The file of --questions. */
    public Path file() {
        return file;
    }

    /** Every {@code every}th question of the file, from the first, and at most --limit of them (0: no limit). */
    public List<Question> read(int every) {
        List<Question> all = Evaluation.read(file);
        List<Question> chosen = new ArrayList<>();
        for (int i = 0; i < all.size() && (limit <= 0 || chosen.size() < limit); i += every) {
            chosen.add(all.get(i));
        }
        return chosen;
    }
}
