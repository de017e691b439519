package io.synod.adapters.experts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KShotExamplesTest {

    @TempDir
    Path directory;

    private Path file(String... lines) throws Exception {
        Path file = directory.resolve("kshot.jsonl");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    @Test
    void questionLinesAndPromptLinesAreBothRead() throws Exception {
        List<KShotExample> examples = KShotExamples.read(file(
                "{\"id\": \"q1\", \"question\": \"What is the capital of Togo?\", \"answers\": [\"Lomé\", \"Lome\"], \"hops\": 1}",
                "",
                "{\"prompt\": \"Question: x\\nNext:\", \"completion\": \" capital\\n\"}"));
        assertThat(examples).hasSize(2);
        assertThat(examples.get(0).form()).isEqualTo(KShotExample.Form.QUESTION);
        assertThat(examples.get(0).outputs()).containsExactly("Lomé", "Lome");
        assertThat(examples.get(0).gold()).isEqualTo("Lomé");
        assertThat(examples.get(1).form()).isEqualTo(KShotExample.Form.PROMPT);
        assertThat(examples.get(1).input()).isEqualTo("Question: x\nNext:");
        assertThat(examples.get(1).source()).endsWith("kshot.jsonl:3");
    }

    @Test
    void anEmptyFileIsRefusedNamingIt() throws Exception {
        Path empty = file("", "  ");
        assertThatThrownBy(() -> KShotExamples.read(empty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(empty.toString()).hasMessageContaining("no examples");
    }

    @Test
    void aMissingFileIsRefusedNamingIt() {
        Path missing = directory.resolve("nothing.jsonl");
        assertThatThrownBy(() -> KShotExamples.read(missing)).hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void aLineThatIsNotJsonIsRefusedWithItsLineNumber() throws Exception {
        Path bad = file("{\"prompt\": \"a\", \"completion\": \"b\"}", "{prompt: a}");
        assertThatThrownBy(() -> KShotExamples.read(bad)).hasMessageContaining(bad + ":2").hasMessageContaining("not a JSON object");
    }

    @Test
    void aLineOfNeitherShapeIsRefusedSayingWhatIsExpected() throws Exception {
        Path bad = file("{\"text\": \"a sentence\"}");
        assertThatThrownBy(() -> KShotExamples.read(bad)).hasMessageContaining(bad + ":1")
                .hasMessageContaining("neither").hasMessageContaining("\"completion\"");
    }

    @Test
    void aQuestionWithoutAnswersIsRefused() throws Exception {
        Path bad = file("{\"question\": \"What is the capital of Togo?\", \"answers\": []}");
        assertThatThrownBy(() -> KShotExamples.read(bad)).hasMessageContaining(":1").hasMessageContaining("\"answers\"");
    }

    @Test
    void aJsonListNamesTheBadElementByIndex() throws Exception {
        var list = new ObjectMapper().readTree("[{\"prompt\": \"a\", \"completion\": \"b\"}, {\"question\": 3, \"answers\": [\"x\"]}]");
        assertThatThrownBy(() -> KShotExamples.of(list, "kshot")).hasMessageContaining("kshot[1]");
        assertThatThrownBy(() -> KShotExamples.of(new ObjectMapper().readTree("[]"), "kshot"))
                .hasMessageContaining("\"kshot\" holds no examples");
    }
}
