// The embedded API over injected solvers and a small graph: answers, listeners, subscriptions, look-ups, close.
package io.synod.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.synod.actors.adapters.AdapterManager;
import io.synod.actors.knowledge.KnowledgeSolverActor;
import io.synod.decomposer.reasoning.Answer;
import io.synod.kg.KnowledgeGraph;
import io.synod.solvers.reasoning.TraceEvent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynodApiTest {

    @TempDir
    Path directory;

    /** Starts over the small graph and waits until it and the solvers are loaded. */
    private Synod start(FakeSolvers solvers, String settings) throws Exception {
        Config config = ConfigFactory.parseString(settings)
                .withValue("synod.graph.source", ConfigValueFactory.fromAnyRef(TestGraphs.write(directory).toString()));
        Synod synod = Synod.start(config, solvers);
        synod.whenReady().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return synod;
    }

    @Test
    void askCompletesWithTheAnswerAfterTheListenerHasSeenEveryStep() throws Exception {
        try (Synod synod = start(FakeSolvers.instant(), "")) {
            List<TraceEvent> streamed = new CopyOnWriteArrayList<>();
            CompletableFuture<List<TraceEvent>> seenAtCompletion = synod
                    .ask("What is the capital of Togo?", synod.defaultOptions(), streamed::add)
                    .thenApply(answer -> List.copyOf(streamed)).toCompletableFuture();
            Answer answer = synod.ask("What is the capital of Ghana?").toCompletableFuture().get(30, TimeUnit.SECONDS);

            assertThat(answer.text()).isEqualTo("Togo");
            assertThat(seenAtCompletion.get(30, TimeUnit.SECONDS)).extracting(TraceEvent::id).containsExactly("1", "2");
        }
    }

    @Test
    void aFailedQuestionCompletesWithASynodExceptionOfItsKind() throws Exception {
        try (Synod synod = start(FakeSolvers.instant(), "")) {
            CompletionStage<Answer> empty = synod.ask("");

            assertThatThrownBy(() -> empty.toCompletableFuture().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SynodException.class)
                    .satisfies(failure -> assertThat(((SynodException) failure).kind())
                            .isEqualTo(Failure.Kind.INVALID_QUESTION))
                    .hasMessageContaining("the question is empty");
        }
    }

    @Test
    void subscribersGetEveryQuestionsEventsUntilTheyUnsubscribe() throws Exception {
        try (Synod synod = start(FakeSolvers.instant(), "")) {
            List<TraceEvent> leaving = new CopyOnWriteArrayList<>();
            List<String> staying = new CopyOnWriteArrayList<>();
            Subscription subscription = synod.subscribe(leaving::add);
            synod.subscribeWithSessionIds((sessionId, event) -> staying.add(sessionId + "/" + event.id()));

            synod.ask("What is the capital of Togo?").toCompletableFuture().get(30, TimeUnit.SECONDS);
            awaitSize(staying, 2);
            subscription.close();
            synod.ask("What is the capital of Ghana?").toCompletableFuture().get(30, TimeUnit.SECONDS);
            awaitSize(staying, 4);

            // each event reaches the subscribers in the order they subscribed: the one that left saw only the first question
            assertThat(leaving).extracting(TraceEvent::id).containsExactly("1", "2");
            assertThat(staying.get(0).split("/")[0]).isNotEqualTo(staying.get(2).split("/")[0]);
        }
    }

    @Test
    void theGraphCanBeSearchedAndBrowsed() throws Exception {
        try (Synod synod = start(FakeSolvers.instant(), "")) {
            List<KnowledgeGraph.Candidate> found = await(synod.findEntities("Lome", 5));
            assertThat(found).first().extracting(candidate -> candidate.entity().label()).isEqualTo("Lomé");

            KnowledgeSolverActor.Neighbourhood togo = await(synod.neighbours("Togo", 10));
            assertThat(togo.entity().label()).isEqualTo("Togo");
            assertThat(togo.outEdges()).extracting(edge -> edge.relation().name() + " " + edge.other().label())
                    .contains("capital Lomé", "currency West African CFA franc", "borders Ghana");
            assertThat(togo.outTotal()).isEqualTo(3);

            assertThatThrownBy(() -> await(synod.neighbours("Atlantis", 10)))
                    .cause().isInstanceOf(SynodException.class)
                    .satisfies(failure -> assertThat(((SynodException) failure).kind()).isEqualTo(Failure.Kind.NOT_FOUND));
        }
    }

    @Test
    void adaptersAreLoadedByNameFromTheCatalogueAndUnloaded() throws Exception {
        Path catalogue = Files.createDirectories(directory.resolve("catalogue/extra"));
        Files.writeString(catalogue.resolve("adapter_config.json"), "{}");
        try (Synod synod = start(FakeSolvers.instant(), "synod.adapters.directory = \""
                + catalogue.getParent() + "\"")) {
            assertThat(await(synod.adapters()).resident()).containsExactlyElementsOf(FakeSolvers.EXPERTS);

            AdapterManager.Listing loaded = await(synod.loadAdapter("extra"));
            assertThat(loaded.resident()).contains("extra");
            assertThat(loaded.available()).containsExactly("extra");
            assertThat(synod.counters().residentAdapters()).isEqualTo(FakeSolvers.EXPERTS.size() + 1);

            assertThat(await(synod.unloadAdapter("extra")).resident()).doesNotContain("extra");
            assertThat(failureOf(synod.unloadAdapter("extra"))).isEqualTo(Failure.Kind.NOT_FOUND);
            assertThat(failureOf(synod.loadAdapter("missing"))).isEqualTo(Failure.Kind.NOT_FOUND);
            assertThat(failureOf(synod.loadAdapter("../extra"))).isEqualTo(Failure.Kind.INVALID_REQUEST);
        }
    }

    @Test
    void inRoutedModeEveryQuestionIsGivenTheGate() throws Exception {
        FakeSolvers routed = new FakeSolvers((solvers, job, listener, call) -> FakeSolvers.answer(job,
                job.experts().isRouted() + " top-" + job.experts().routing().topK(), List.of()));
        try (Synod synod = start(routed, "synod.experts.mode = routed\nsynod.experts.routing.top-k = 2")) {
            assertThat(await(synod.ask("What is the capital of Togo?")).text()).isEqualTo("true top-2");
        }
    }

    @Test
    void aRoutedQuestionOverAnExpertThatIsNotResidentFailsNamingIt() throws Exception {
        try (Synod synod = start(FakeSolvers.instant(),
                "synod.experts.mode = routed\nsynod.experts.routing.experts = [walk, ghost]")) {
            assertThatThrownBy(() -> await(synod.ask("What is the capital of Togo?")))
                    .cause().isInstanceOf(SynodException.class).hasMessageContaining("ghost");
        }
    }

    @Test
    void routingSettingsOutOfRangeAreRefusedNamingTheKey() {
        Config config = ConfigFactory.parseString("synod.experts.routing.top-k = 0")
                .withFallback(ConfigFactory.defaultReference()).resolve();
        assertThatThrownBy(() -> SynodSettings.from(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("synod.experts.routing").hasMessageContaining("top-k");
        Config mode = ConfigFactory.parseString("synod.experts.mode = gated")
                .withFallback(ConfigFactory.defaultReference()).resolve();
        assertThatThrownBy(() -> SynodSettings.from(mode)).hasMessageContaining("routed");
    }

    @Test
    void kShotSelectionNeedsASolverWithAModel() throws Exception {
        try (Synod synod = start(FakeSolvers.instant(), "")) {
            var examples = List.of(new io.synod.adapters.experts.KShotExample(
                    io.synod.adapters.experts.KShotExample.Form.PROMPT, "QC: x\nQS:", List.of(" [EOQ]"), "kshot[0]"));
            assertThat(failureOf(synod.selectExperts(examples, List.of(), 8, 4))).isEqualTo(Failure.Kind.UNAVAILABLE);
            assertThat(failureOf(synod.selectExperts(examples, List.of("../walk"), 8, 4)))
                    .isEqualTo(Failure.Kind.INVALID_REQUEST);
        }
    }

    @Test
    void countersAndReadinessDescribeWhatHappened() throws Exception {
        try (Synod synod = start(FakeSolvers.instant(), "")) {
            assertThat(synod.readiness()).isEqualTo(new Readiness(true, 1, 1, null));

            synod.ask("What is the capital of Togo?").toCompletableFuture().get(30, TimeUnit.SECONDS);
            synod.ask(" ").handle((answer, failure) -> null).toCompletableFuture().get(30, TimeUnit.SECONDS);

            Counters counters = synod.counters();
            assertThat(counters.asked()).isEqualTo(2);
            assertThat(counters.answered()).isEqualTo(1);
            assertThat(counters.failed()).isEqualTo(1);
            assertThat(counters.refused()).isZero();
            assertThat(counters.modelCalls()).isEqualTo(1);
            // both have replied; their sessions stop just after, and the gauge follows
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (synod.counters().sessionsInFlight() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(synod.counters().sessionsInFlight()).isZero();
        }
    }

    @Test
    void aNegativeDispatcherThreadCountFailsStartNamingTheSetting() {
        Config config = ConfigFactory.parseString("synod.dispatcher.threads = -1");

        assertThatThrownBy(() -> Synod.start(config, FakeSolvers.instant()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("synod.dispatcher.threads is -1");
    }

    @Test
    void aGraphThatFailsToLoadMakesSynodUnavailableWithTheReason() throws Exception {
        Config config = ConfigFactory.parseString("synod.graph.source = \"" + directory.resolve("missing.ttl") + "\"");
        try (Synod synod = Synod.start(config, FakeSolvers.instant())) {
            assertThatThrownBy(() -> synod.whenReady().toCompletableFuture().get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(SynodException.class).hasMessageContaining("missing.ttl");
            assertThat(failureOf(synod.ask("What is the capital of Togo?"))).isEqualTo(Failure.Kind.UNAVAILABLE);
            assertThat(synod.readiness().ready()).isFalse();
        }
    }

    @Test
    void aModelThatFailsToLoadMakesSynodUnavailableWithTheReason() throws Exception {
        SolverFactoryThatFails solvers = new SolverFactoryThatFails();
        try (Synod synod = Synod.start(ConfigFactory.parseString("synod.graph.source = \""
                + TestGraphs.write(directory) + "\""), solvers)) {
            assertThatThrownBy(() -> synod.whenReady().toCompletableFuture().get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(SynodException.class).hasMessageContaining("no weights here");
            assertThat(failure(synod.ask("What is the capital of Togo?")).getMessage())
                    .contains("the model failed to load").contains("no weights here");
        }
    }

    /** A factory whose model never loads. */
    private static final class SolverFactoryThatFails implements io.synod.actors.solver.SolverFactory {
        @Override
        public io.synod.actors.solver.Solver create(KnowledgeGraph graph) {
            throw new IllegalStateException("no weights here");
        }
    }

    @Test
    void closeAnswersTheQuestionsInFlightWithAnErrorAndRefusesNewOnes() throws Exception {
        FakeSolvers solvers = FakeSolvers.slow();
        Synod synod = start(solvers, "synod.shutdown.drain-timeout = 200 ms");
        List<TraceEvent> started = new CopyOnWriteArrayList<>();
        CompletionStage<Answer> inFlight = synod.ask("What is the capital of Togo?", null, Duration.ofSeconds(30),
                started::add);
        awaitSize(started, 1);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(synod::close);
        SynodException aborted = failure(inFlight);
        assertThat(aborted.kind()).isEqualTo(Failure.Kind.UNAVAILABLE);
        assertThat(aborted.getMessage()).contains("closing");
        assertThat(aborted.trace()).hasSize(1);
        solvers.release();
        closing.get(60, TimeUnit.SECONDS);

        assertThat(failureOf(synod.ask("What is the capital of Ghana?"))).isEqualTo(Failure.Kind.UNAVAILABLE);
        assertThat(solvers.closed).hasValue(1);
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static SynodException failure(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(SynodException.class);
            return (SynodException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError("the stage did not fail with a SynodException", e);
        }
        throw new AssertionError("the stage did not fail");
    }

    private static Failure.Kind failureOf(CompletionStage<?> stage) {
        return failure(stage).kind();
    }

    private static void awaitSize(List<?> list, int size) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (list.size() < size) {
            assertThat(System.nanoTime()).as("never got " + size + " items: " + list).isLessThan(giveUp);
            Thread.sleep(10);
        }
    }
}
