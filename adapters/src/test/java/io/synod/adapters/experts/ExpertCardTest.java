package io.synod.adapters.experts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpertCardTest {

    @TempDir
    Path directory;

    private ExpertCard card(String name) {
        return new ExpertCard(name, "Chooses the next relation of a walk", "world graph", "walk", "walk decisions",
                List.of(new ExpertCard.Exemplar("Question: What is the capital of Togo?\nNext:", " capital\n"),
                        new ExpertCard.Exemplar("Question: Which currency does Ghana use?\nNext:", " currency\n")));
    }

    @Test
    void aWrittenCardReadsBackTheSame() {
        Path walk = directory.resolve("walk");
        card("walk").write(walk);
        assertThat(Files.isRegularFile(walk.resolve(ExpertCard.FILE))).isTrue();
        assertThat(ExpertCard.read(walk)).contains(card("walk"));
    }

    @Test
    void anAdapterWithoutACardHasNone() {
        assertThat(ExpertCard.read(directory)).isEmpty();
    }

    @Test
    void aCardNamingAnotherExpertThanItsDirectoryIsRefused() {
        Path walk = directory.resolve("walk");
        card("decompose").write(walk);
        assertThatThrownBy(() -> ExpertCard.read(walk)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expert.json").hasMessageContaining("'decompose'").hasMessageContaining("'walk'");
    }

    @Test
    void malformedJsonIsReportedWithTheFile() throws Exception {
        Path walk = Files.createDirectories(directory.resolve("walk"));
        Files.writeString(walk.resolve(ExpertCard.FILE), "{\"name\": \"walk\", ");
        assertThatThrownBy(() -> ExpertCard.read(walk)).hasMessageContaining(walk.resolve(ExpertCard.FILE).toString())
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void anExemplarWithoutInputIsRefusedNamingIt() throws Exception {
        Path walk = Files.createDirectories(directory.resolve("walk"));
        Files.writeString(walk.resolve(ExpertCard.FILE),
                "{\"name\": \"walk\", \"exemplars\": [{\"input\": \"a\"}, {\"output\": \"b\"}]}");
        assertThatThrownBy(() -> ExpertCard.read(walk)).hasMessageContaining("exemplar 2");
    }

    @Test
    void theTaskDefaultsToTheName() {
        assertThat(new ExpertCard("walk", null, null, null, null, null).task()).isEqualTo("walk");
    }
}
