// The trained gate on a small random model: read beside the adapters, chosen by the automatic gate, routing by its
// fit, and refused with a reason when it cannot route.
package io.synod.solvers.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synod.adapters.experts.ExpertCard;
import io.synod.adapters.experts.LinearGate;
import io.synod.solvers.answering.ModelSolver;
import io.synod.solvers.experts.ExpertGate;
import io.synod.solvers.experts.GateOptions;
import io.synod.solvers.model.LanguageModel;
import io.synod.solvers.model.ModelConfig;
import io.synod.solvers.model.RuntimeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainedGateOnModelTest {
    @TempDir static Path directory;
    static Path base;
    static Path adapters;
    static ModelSolver withoutGate;

    private static final List<String> LETTERS = List.of("aaab abba", "bab aab", "abba baba", "aab bba ab", "ba ab ba");
    private static final List<String> DIGITS = List.of("1234 5678", "8765 4321", "1122 3344", "9090 1212", "12 21 12");
    private static final RuntimeOptions CPU = RuntimeOptions.defaults().withDevice(RuntimeOptions.DevicePreference.CPU)
            .withThreads(1);

    @BeforeAll
    static void load() throws Exception {
        ModelConfig config = LoraFixtures.config();
        base = LoraFixtures.writeBase(Files.createDirectories(directory.resolve("base")), config);
        adapters = Files.createDirectories(directory.resolve("adapters"));
        LoraFixtures.adapter("letters", config, 4, 8, 1, "q_proj", "v_proj").write(adapters.resolve("letters"));
        card("letters", LETTERS).write(adapters.resolve("letters"));
        LoraFixtures.adapter("digits", config, 4, 8, 2, "q_proj", "v_proj").write(adapters.resolve("digits"));
        card("digits", DIGITS).write(adapters.resolve("digits"));
        withoutGate = ModelSolver.load(base, adapters, CPU);
    }

    @AfterAll
    static void close() {
        withoutGate.close();
    }

    private static ExpertCard card(String name, List<String> inputs) {
        return new ExpertCard(name, "answers " + name, "tests", name, "nothing: random weights",
                inputs.stream().map(input -> new ExpertCard.Exemplar(input, " ok")).toList());
    }

    /** A copy of the adapters with a gate over {@code experts} fit on the exemplars' states. */
    private static Path adaptersWithGate(String name, List<String> experts) throws Exception {
        Path copy = Files.createDirectories(directory.resolve(name));
        for (String expert : List.of("letters", "digits")) {
            Path target = Files.createDirectories(copy.resolve(expert));
            try (var files = Files.list(adapters.resolve(expert))) {
                for (Path file : files.toList()) {
                    Files.copy(file, target.resolve(file.getFileName()));
                }
            }
        }
        LanguageModel.Pooling pooling = LanguageModel.Pooling.MEAN_AND_END;
        List<LinearGate.Example> examples = new ArrayList<>();
        withoutGate.model().hiddenStates(LETTERS, pooling, 0).forEach(s -> examples.add(new LinearGate.Example(s, "letters")));
        withoutGate.model().hiddenStates(DIGITS, pooling, 0).forEach(s -> examples.add(new LinearGate.Example(s, "digits")));
        List<LinearGate.Example> labelled = examples.stream()
                .map(e -> new LinearGate.Example(e.embedding(), experts.contains(e.expert()) ? e.expert() : experts.get(0)))
                .toList();
        LinearGate.fit(experts, labelled, 0.1, 200).describedAs(0, pooling.label(), "the cards' exemplars").write(copy);
        return copy;
    }

    @Test
    void withoutAGateFileTheAutomaticGateIsTheSimilarityGateAndTheTrainedOneIsRefused() {
        assertThat(withoutGate.trainedGate()).isEmpty();
        assertThat(ExpertGate.of(withoutGate, GateOptions.defaults()).kind()).isEqualTo("similarity");
        assertThatThrownBy(() -> ExpertGate.of(withoutGate, GateOptions.defaults().withKind(GateOptions.Kind.TRAINED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no trained gate (gate.json beside them)");
    }

    @Test
    void aGateFileBesideTheAdaptersIsTheAutomaticGateAndRoutesByItsFit() throws Exception {
        try (ModelSolver solver = ModelSolver.load(base, adaptersWithGate("fitted", List.of("letters", "digits")), CPU)) {
            ExpertGate gate = ExpertGate.of(solver, GateOptions.defaults());
            assertThat(gate.kind()).isEqualTo("trained");
            assertThat(gate.layers()).isZero();
            assertThat(gate.route("abab baab").top()).isEqualTo("letters");
            assertThat(gate.route("4321 1234").top()).isEqualTo("digits");
            assertThat(gate.route("abab baab").probabilities()).hasSize(2);
        }
    }

    @Test
    void aGateOverAnExpertThatIsNotResidentFallsBackToSimilarityOrIsRefusedByName() throws Exception {
        try (ModelSolver solver = ModelSolver.load(base, adaptersWithGate("stale", List.of("letters", "numbers")), CPU)) {
            assertThat(ExpertGate.of(solver, GateOptions.defaults()).kind()).isEqualTo("similarity");
            assertThatThrownBy(() -> ExpertGate.of(solver, GateOptions.defaults().withKind(GateOptions.Kind.TRAINED)))
                    .hasMessageContaining("'numbers' is not resident");
        }
    }
}
