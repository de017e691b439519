// Experts on a small random model: hidden states, mixtures named in text, expert cards, the similarity gate and
// K-shot selection over real adapter files.
package io.synod.solvers.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.synod.adapters.experts.ExpertCard;
import io.synod.adapters.experts.KShotExample;
import io.synod.adapters.experts.KShotSelection;
import io.synod.adapters.lora.LoraAdapter;
import io.synod.solvers.answering.ModelSolver;
import io.synod.solvers.experts.ExpertGate;
import io.synod.solvers.experts.ExpertSelector;
import io.synod.solvers.experts.GateDecision;
import io.synod.solvers.experts.GateOptions;
import io.synod.solvers.experts.RoutedCall;
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

class ExpertsOnModelTest {
    @TempDir static Path directory;
    static ModelConfig config;
    static ModelSolver solver;
    static Path catalogue;

    private static final List<String> LETTERS = List.of("aaab abba", "bab aab", "abba baba", "aab bba ab");
    private static final List<String> DIGITS = List.of("1234 5678", "8765 4321", "1122 3344", "9090 1212");

    @BeforeAll
    static void load() throws Exception {
        config = LoraFixtures.config();
        Path base = LoraFixtures.writeBase(Files.createDirectories(directory.resolve("base")), config);
        Path resident = Files.createDirectories(directory.resolve("adapters"));
        LoraFixtures.adapter("letters", config, 4, 8, 1, "q_proj", "v_proj").write(resident.resolve("letters"));
        card("letters", LETTERS).write(resident.resolve("letters"));
        LoraFixtures.adapter("digits", config, 8, 16, 2, "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj",
                "up_proj", "down_proj").write(resident.resolve("digits"));
        card("digits", DIGITS).write(resident.resolve("digits"));
        LoraFixtures.adapter("plain", config, 2, 4, 3, "v_proj").write(resident.resolve("plain"));
        catalogue = Files.createDirectories(directory.resolve("catalogue"));
        LoraFixtures.adapter("extra", config, 4, 4, 4, "q_proj", "o_proj").write(catalogue.resolve("extra"));
        Path broken = Files.createDirectories(catalogue.resolve("broken"));
        Files.copy(catalogue.resolve("extra").resolve(LoraAdapter.CONFIG_FILE), broken.resolve(LoraAdapter.CONFIG_FILE));
        Files.writeString(broken.resolve(LoraAdapter.WEIGHTS_FILE), "not safetensors");
        solver = ModelSolver.load(base, resident, RuntimeOptions.defaults().withDevice(RuntimeOptions.DevicePreference.CPU)
                .withThreads(1));
    }

    private static ExpertCard card(String name, List<String> inputs) {
        return new ExpertCard(name, "answers " + name, "tests", name, "nothing: random weights",
                inputs.stream().map(input -> new ExpertCard.Exemplar(input, " ok")).toList());
    }

    @AfterAll
    static void close() {
        solver.close();
    }

    @Test
    void hiddenStatesOfABatchAreThoseOfEachTextAlone() {
        LanguageModel model = solver.model();
        List<float[]> batch = model.meanHiddenStates(List.of("a", "a longer text than the first", "mid text"));
        for (int i = 0; i < 3; i++) {
            float[] alone = model.meanHiddenState(List.of("a", "a longer text than the first", "mid text").get(i));
            assertThat(batch.get(i)).hasSize(config.hiddenSize());
            for (int h = 0; h < alone.length; h++) {
                assertThat(batch.get(i)[h]).isCloseTo(alone[h], within(1e-4f));
            }
        }
        float[] last = model.hiddenStates(List.of("mid text"), LanguageModel.Pooling.LAST).get(0);
        assertThat(last).isNotEqualTo(batch.get(2));
    }

    @Test
    void aMixtureNamedInTextIsTheWeightedSumOfItsAdapters() {
        String prompt = "Togo uses the";
        List<String> continuations = List.of(" franc", " euro");
        double[] letters = solver.score(prompt, continuations, "letters");
        assertThat(solver.score(prompt, continuations, "letters:1.00")).containsExactly(letters);
        double[] mixed = solver.score(prompt, continuations, "letters:0.5+digits:0.5");
        assertThat(mixed[0]).isNotEqualTo(letters[0]);
        try (ResidentAdapter a = solver.model().materialise(LoraAdapter.read("letters", directory.resolve("adapters/letters")), 64);
             ResidentAdapter b = solver.model().materialise(LoraAdapter.read("digits", directory.resolve("adapters/digits")), 64)) {
            AdapterMix mix = new AdapterMix(List.of(new AdapterMix.Part(a, 0.5f), new AdapterMix.Part(b, 0.5f)));
            List<LanguageModel.ContinuationScore> expected = solver.model().score(prompt, continuations, mix);
            assertThat(mixed[0]).isCloseTo(expected.get(0).logLikelihood(), within(1e-4));
            assertThat(mixed[1]).isCloseTo(expected.get(1).logLikelihood(), within(1e-4));
        }
    }

    @Test
    void aMalformedMixtureIsRefusedSayingWhy() {
        assertThatThrownBy(() -> solver.score("x", List.of(" y"), "letters:0")).hasMessageContaining("positive weight");
        assertThatThrownBy(() -> solver.score("x", List.of(" y"), "letters:half")).hasMessageContaining("name:weight");
        assertThatThrownBy(() -> solver.score("x", List.of(" y"), "letters:0.5+nobody:0.5"))
                .hasMessageContaining("no resident expert 'nobody'");
    }

    @Test
    void expertsKeepTheirCards() {
        assertThat(solver.card("letters")).get().extracting(ExpertCard::exemplarInputs).isEqualTo(LETTERS);
        assertThat(solver.card("plain")).isEmpty();
        assertThat(solver.expertDirectory("digits")).isEqualTo(directory.resolve("adapters").resolve("digits"));
    }

    @Test
    void theGateRoutesAnInputToTheExpertWhoseExemplarsItResembles() {
        ExpertGate gate = ExpertGate.of(solver, GateOptions.defaults());
        assertThat(gate.experts()).containsExactly("digits", "letters");   // plain has no exemplars
        List<RoutedCall> calls = new ArrayList<>();
        String letters = gate.choice("letters", calls::add).forPrompt("baab abab");
        String digits = gate.choice("digits", calls::add).forPrompt("4433 2211");
        assertThat(letters).isEqualTo("letters:1.00");
        assertThat(digits).isEqualTo("digits:1.00");
        assertThat(calls).hasSize(2).allMatch(RoutedCall::correct);
        assertThat(calls.get(0).decision().probabilities()).hasSize(2);
        assertThat(calls.get(0).decision().nanos()).isPositive();
    }

    @Test
    void topTwoMixesBothExpertsWithWeightsThatSumToOne() {
        ExpertGate gate = ExpertGate.of(solver, GateOptions.defaults().withTopK(2).withTemperature(10));
        GateDecision decision = gate.route("ab 12");
        assertThat(decision.applied()).hasSize(2);
        assertThat(decision.spec()).matches("(letters|digits):0\\.\\d\\d\\+(letters|digits):0\\.\\d\\d");
        assertThat(decision.applied().stream().mapToDouble(w -> w.weight()).sum()).isCloseTo(1.0, within(0.011));
        // the spec is what a call applies
        assertThat(solver.completeLine("ab 12", decision.spec())).isNotNull();
    }

    @Test
    void aGateOverAnExpertWithoutExemplarsIsRefusedNamingIt() {
        assertThatThrownBy(() -> ExpertGate.of(solver, GateOptions.defaults().withExperts(List.of("letters", "plain"))))
                .hasMessageContaining("'plain' has no exemplars").hasMessageContaining(ExpertCard.FILE);
        assertThatThrownBy(() -> ExpertGate.of(solver, GateOptions.defaults().withExperts(List.of("ghost"))))
                .hasMessageContaining("'ghost'");
    }

    @Test
    void selectionMeasuresEveryCandidateAndReportsOneThatFailsToLoad() {
        List<KShotExample> examples = List.of(
                new KShotExample(KShotExample.Form.PROMPT, "aab ab", List.of(" ba"), "test:1"),
                new KShotExample(KShotExample.Form.PROMPT, "12 34", List.of(" 56"), "test:2"),
                new KShotExample(KShotExample.Form.QUESTION, "Who?", List.of("me"), "test:3"));
        ExpertSelector.Report report = ExpertSelector.select(solver, catalogue,
                List.of("letters", "digits", "plain", "extra", "broken"), examples, 8, 2);
        KShotSelection.Selection selection = report.selection();
        assertThat(selection.table()).hasSize(5);
        KShotSelection.Row broken = selection.table().stream().filter(row -> row.name().equals("broken")).findFirst().orElseThrow();
        assertThat(broken.error()).contains("failed to load");
        assertThat(selection.table()).filteredOn(row -> row.error() == null).hasSize(4)
                .allSatisfy(row -> assertThat(row.perplexity()).isGreaterThan(1.0));
        assertThat(selection.experts()).hasSize(2).doesNotContain("broken");
        assertThat(selection.groups()).hasSize(6);
        assertThat(selection.similarity().get("letters").get("letters")).isEqualTo(1.0);
        // a catalogue candidate is released after its measurement
        assertThat(solver.experts()).containsExactly("digits", "letters", "plain");
    }

    @Test
    void anUnknownCandidateIsRefusedNamingIt() {
        List<KShotExample> examples = List.of(new KShotExample(KShotExample.Form.PROMPT, "ab", List.of(" c"), "t:1"));
        assertThatThrownBy(() -> ExpertSelector.select(solver, catalogue, List.of("letters", "ghost"), examples, 8, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown expert 'ghost'")
                .hasMessageContaining("extra");
    }

    @Test
    void anExampleTooLongForTheModelIsRefusedNamingIt() {
        List<KShotExample> examples = List.of(new KShotExample(KShotExample.Form.PROMPT, "x".repeat(400), List.of(" c"), "k.jsonl:7"));
        assertThatThrownBy(() -> ExpertSelector.select(solver, catalogue, List.of("letters"), examples, 8, 4))
                .hasMessageContaining("k.jsonl:7").hasMessageContaining("context");
    }
}
