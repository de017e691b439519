// Reading JSON Lines examples, errors that name file and line, and loss masks that cover completions only.
package io.synod.solvers.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synod.solvers.model.ByteLevelTokenizer;
import io.synod.solvers.model.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingDataTest {
    @TempDir Path directory;

    private Path write(String... lines) throws IOException {
        Path file = directory.resolve("data.jsonl");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    @Test
    void promptCompletionAndTextLinesAreReadAndBlankLinesSkipped() throws IOException {
        Path file = write("{\"prompt\": \"capital of Togo?\", \"completion\": \" Lomé\", \"id\": 7}", "", "{\"text\": \"Lomé is a port.\"}");
        TrainingData data = TrainingData.read(file);
        assertThat(data.examples()).containsExactly(
                new TrainingExample("capital of Togo?", " Lomé", 1),
                new TrainingExample("", "Lomé is a port.", 3));
        assertThat(data.source()).isEqualTo(file);
    }

    @Test
    void aLineThatIsNotJsonNamesTheFileTheLineAndWhatWasExpected() throws IOException {
        Path file = write("{\"text\": \"fine\"}", "{\"prompt\": \"cut off");
        assertThatThrownBy(() -> TrainingData.read(file))
                .isInstanceOfSatisfying(TrainingDataException.class, e -> {
                    assertThat(e.file()).isEqualTo(file);
                    assertThat(e.line()).isEqualTo(2);
                })
                .hasMessageContaining("data.jsonl:2:")
                .hasMessageContaining("not valid JSON")
                .hasMessageContaining("\"prompt\" and \"completion\" strings, or with a \"text\" string");
    }

    @Test
    void aPromptWithoutACompletionNamesTheFileAndLine() throws IOException {
        Path file = write("{\"text\": \"a\"}", "{\"text\": \"b\"}", "{\"prompt\": \"capital of Togo?\"}");
        assertThatThrownBy(() -> TrainingData.read(file))
                .hasMessageContaining("data.jsonl:3:")
                .hasMessageContaining("\"completion\" is missing");
    }

    @Test
    void aValueThatIsNotAStringNamesTheKey() throws IOException {
        Path file = write("{\"text\": 42}");
        assertThatThrownBy(() -> TrainingData.read(file))
                .hasMessageContaining("data.jsonl:1:")
                .hasMessageContaining("\"text\" is not a string (42)");
    }

    @Test
    void anArrayOrAnObjectWithNeitherShapeIsRefused() throws IOException {
        assertThatThrownBy(() -> TrainingData.read(write("[\"capital of Togo?\", \" Lomé\"]")))
                .hasMessageContaining("data.jsonl:1: expected a JSON object");
        assertThatThrownBy(() -> TrainingData.read(write("{\"question\": \"capital of Togo?\"}")))
                .hasMessageContaining("data.jsonl:1:")
                .hasMessageContaining("keys [question]");
    }

    @Test
    void aFileWithoutExamplesIsRefused() throws IOException {
        assertThatThrownBy(() -> TrainingData.read(write("", "  ")))
                .isInstanceOf(TrainingDataException.class)
                .hasMessageContaining("data.jsonl: holds no examples");
    }

    @Test
    void theLossMaskCoversTheCompletionAndTheEndOfSequenceOnly() throws IOException {
        Path tokenizerFile = directory.resolve("tokenizer.json");
        ByteLevelTokenizer.write(tokenizerFile);
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerFile, ByteLevelTokenizer.SIZE)) {
            TokenizedExample example = TrainingData.tokenize(TrainingExample.of("ab?", " é"), tokenizer,
                    ByteLevelTokenizer.END_OF_SEQUENCE);
            // <s> a b ? | space, é as two bytes, </s>
            assertThat(example.tokens()).containsExactly(ByteLevelTokenizer.BEGIN_OF_SEQUENCE, 'a', 'b', '?', ' ', 0xC3, 0xA9,
                    ByteLevelTokenizer.END_OF_SEQUENCE);
            assertThat(example.lossMask()).containsExactly(false, false, false, false, true, true, true, true);
            assertThat(example.targets()).isEqualTo(4);
        }
    }

    @Test
    void plainTextLearnsEveryTokenAfterTheFirst() throws IOException {
        Path tokenizerFile = directory.resolve("tokenizer.json");
        ByteLevelTokenizer.write(tokenizerFile);
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerFile, ByteLevelTokenizer.SIZE)) {
            TokenizedExample example = TrainingData.tokenize(TrainingExample.text("hi"), tokenizer, -1);
            assertThat(example.tokens()).containsExactly(ByteLevelTokenizer.BEGIN_OF_SEQUENCE, 'h', 'i');
            assertThat(example.lossMask()).containsExactly(false, true, true);
        }
    }
}
