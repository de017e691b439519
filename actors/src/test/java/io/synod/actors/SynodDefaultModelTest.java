// The embedded API on the shipped default model and the bundled world graph, one Synod for the whole class.
package io.synod.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.synod.actors.adapters.AdapterManager;
import io.synod.decomposer.reasoning.Answer;
import io.synod.kg.KnowledgeGraph;
import io.synod.solvers.experts.ExpertSelector;
import io.synod.solvers.reasoning.TraceEvent;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SynodDefaultModelTest {

    private static Synod synod;

    @BeforeAll
    static void start() throws Exception {
        synod = Synod.start(ConfigFactory.load());
        synod.whenReady().toCompletableFuture().get(5, TimeUnit.MINUTES);
    }

    @AfterAll
    static void close() {
        synod.close();
    }

    @Test
    void theShippedModelAnswersATwoHopQuestionThroughTheEmbeddedApi() throws Exception {
        List<TraceEvent> streamed = new CopyOnWriteArrayList<>();
        Answer answer = synod.ask("Which currency is used in the country whose capital is Lomé?", synod.defaultOptions(),
                Duration.ofMinutes(5), streamed::add).toCompletableFuture().get(6, TimeUnit.MINUTES);

        assertThat(answer.text()).isEqualTo("West African CFA franc");
        assertThat(answer.paths()).anyMatch(path -> path.contains("-capital-of-> Togo"));
        assertThat(streamed).isEqualTo(answer.trace());
        assertThat(synod.readiness().ready()).isTrue();
        assertThat(synod.counters().modelCalls()).isPositive();
    }

    @Test
    void anExpertCanBeUnloadedAndLoadedBackByName() throws Exception {
        AdapterManager.Listing before = synod.adapters().toCompletableFuture().get(2, TimeUnit.MINUTES);
        assertThat(before.resident()).contains("compose", "decompose", "direct", "walk");
        assertThat(before.available()).containsAll(before.resident());

        AdapterManager.Listing unloaded = synod.unloadAdapter("compose").toCompletableFuture().get(2, TimeUnit.MINUTES);
        assertThat(unloaded.resident()).doesNotContain("compose");
        AdapterManager.Listing loaded = synod.loadAdapter("compose").toCompletableFuture().get(2, TimeUnit.MINUTES);
        assertThat(loaded.resident()).containsExactlyInAnyOrderElementsOf(before.resident());
    }

    @Test
    void kShotSelectionMeasuresEveryResidentExpertOnASolver() throws Exception {
        List<String> lines;
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(
                KnowledgeGraph.class.getResourceAsStream("/io/synod/kg/world/questions/dev.jsonl"),
                java.nio.charset.StandardCharsets.UTF_8))) {
            lines = in.lines().limit(6).toList();
        }
        var examples = io.synod.adapters.experts.KShotExamples.of(
                new com.fasterxml.jackson.databind.ObjectMapper().readTree("[" + String.join(",", lines) + "]"), "kshot");
        ExpertSelector.Report report = synod.selectExperts(examples, List.of(), 4, 2).toCompletableFuture()
                .get(3, TimeUnit.MINUTES);
        assertThat(report.selection().table()).extracting(row -> row.name())
                .containsExactlyInAnyOrder("compose", "count-compare", "decompose", "direct", "gloss", "lexical-walk", "walk");
        assertThat(report.selection().table().get(0).name()).isEqualTo("direct");
        assertThat(report.selection().experts()).hasSize(2).contains("direct");
        assertThat(report.selection().reason()).contains("lowest combined rank");

        assertThatThrownBy(() -> synod.selectExperts(examples, List.of("walk", "ghost"), 4, 2).toCompletableFuture()
                .get(3, TimeUnit.MINUTES)).cause().isInstanceOf(SynodException.class)
                .hasMessageContaining("unknown expert 'ghost'")
                .satisfies(failure -> assertThat(((SynodException) failure).kind()).isEqualTo(Failure.Kind.INVALID_REQUEST));
    }

    @Test
    void theBundledGraphCanBeSearchedByName() throws Exception {
        List<KnowledgeGraph.Candidate> found = synod.findEntities("Lome", 3).toCompletableFuture().get(2, TimeUnit.MINUTES);
        assertThat(found).first().extracting(candidate -> candidate.entity().label()).isEqualTo("Lomé");
    }
}
