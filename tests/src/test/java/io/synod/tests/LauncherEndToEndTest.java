// bin/synod end to end: the launcher runs the packaged jar on the bundled world graph, as a newcomer would.
package io.synod.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LauncherEndToEndTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    record Run(int exitCode, String out, String err) {}

    private static Run synod(String... args) throws IOException, InterruptedException {
        Path launcher = ROOT.resolve("bin/synod");
        assertThat(launcher).isExecutable();
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("synod-out", ".txt");
        Path err = Files.createTempFile("synod-err", ".txt");
        try {
            Process process = new ProcessBuilder(command).directory(ROOT.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("bin/synod " + String.join(" ", args) + " did not finish in 5 minutes");
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void theMainJobAnswersTheReadmeQuestionWithItsProgramAndTrace() throws Exception {
        Run run = synod("ask", "Which currency is used in the country whose capital is Lomé?", "--trace");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("West African CFA franc");
        assertThat(run.out()).contains("program:", "QS: (select) [kg]", "QS: [EOQ]", "path: ", "trace:", "kg/walk");
    }

    @Test
    void aBadQuestionIsRefusedWithAClearMessage() throws Exception {
        Run run = synod("ask", "   ");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("the question is empty");
    }

    @Test
    void graphPathsFollowCapitalOfThenCurrencyFromLome() throws Exception {
        Run run = synod("kg", "path", "Lomé", "capital-of", "currency");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip()).startsWith("West African CFA franc");
    }

    @Test
    void findListsLomeFirst() throws Exception {
        Run run = synod("kg", "find", "Lome");
        assertThat(run.exitCode()).as(run.err()).isZero();
        String first = run.out().lines().findFirst().orElse("");
        assertThat(first).contains("Lomé").contains("/city/");
    }

    @Test
    void helpDescribesTheCommands() throws Exception {
        Run run = synod("--help");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Usage: synod", "ask", "eval", "kg");
    }
}
