// Three nodes on loopback form a Pekko Cluster: a front in this JVM and two solver JVMs (`synod serve --role solver`)
// with the shipped default model; one solver JVM is killed (SIGKILL) mid-question and every question still gets one answer.
package io.synod.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.synod.actors.Counters;
import io.synod.actors.Synod;
import io.synod.actors.cluster.ClusterStatus;
import io.synod.decomposer.reasoning.Answer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;

    private static final List<SolverNode> solvers = new ArrayList<>();
    private static Synod front;

    /** A solver node: a child JVM running `synod serve --role solver`, its output kept for the failure message. */
    private record SolverNode(Process process, List<String> output) {

        static SolverNode start(int clusterPort, int seedPort) throws IOException {
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx2g", "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
                    "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-cp", classpath,
                    "io.synod.app.SynodCommand", "serve", "--role", "solver", "--port", "0",
                    "--cluster-port", Integer.toString(clusterPort), "--seed-nodes", "127.0.0.1:" + seedPort)
                    .redirectErrorStream(true).start();
            List<String> output = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> read(process.getInputStream(), output), "solver-" + clusterPort);
            reader.setDaemon(true);
            reader.start();
            return new SolverNode(process, output);
        }

        private static void read(InputStream stream, List<String> output) {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                lines.lines().forEach(output::add);
            } catch (IOException e) {
                output.add("(reading the node's output failed: " + e + ")");
            }
        }
    }

    @BeforeAll
    static void formTheCluster() throws Exception {
        int frontPort = freePort();
        // both solver JVMs load the bundled graph and the default model meanwhile the front starts
        solvers.add(SolverNode.start(freePort(), frontPort));
        solvers.add(SolverNode.start(freePort(), frontPort));
        // the front walks no graph (its solvers are on the other nodes); a small one serves its look-ups
        Path graph = directory.resolve("front.tsv");
        Files.writeString(graph, "Ghana\tcapital\tAccra\n");
        front = Synod.start(ConfigFactory.parseString("""
                synod.graph.source = "%s"
                synod.cluster { enabled = on, role = front, port = %d, seed-nodes = ["127.0.0.1:%d"] }
                """.formatted(graph, frontPort, frontPort)));
        await("the front to reach both solver nodes",
                () -> front.cluster().map(ClusterStatus::reachableSolvers).orElse(0) == 2, Duration.ofSeconds(150));
    }

    @AfterAll
    static void stop() throws Exception {
        if (front != null) {
            front.close();
        }
        for (SolverNode solver : solvers) {
            solver.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(1)
    void questionsAskedAtTheFrontAreAnsweredBySolversOnTheOtherNodes() {
        ClusterStatus cluster = front.cluster().orElseThrow();
        assertThat(cluster.members()).hasSize(3);
        assertThat(cluster.members()).extracting(ClusterStatus.MemberView::roles)
                .anySatisfy(roles -> assertThat(roles).contains("front"))
                .filteredOn(roles -> roles.contains("solver")).hasSize(2);
        assertThat(cluster.adaptersByNode()).hasSize(2)
                .allSatisfy((node, adapters) -> assertThat(adapters).contains("decompose", "walk"));

        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (String country : List.of("Ghana", "Kenya", "Ghana", "Kenya")) {
            answers.add(front.ask("What is the capital of " + country + "?").toCompletableFuture());
        }
        assertThat(answers.stream().map(answer -> answer.join().text()))
                .containsExactly("Accra", "Nairobi", "Accra", "Nairobi");
    }

    @Test
    @Order(2)
    void everyQuestionGetsExactlyOneReplyWhenASolverNodeIsKilledMidQuestion() throws Exception {
        List<String> questions = testQuestions(16);
        Counters before = front.counters();
        AtomicInteger replies = new AtomicInteger();
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (String question : questions) {
            CompletableFuture<Answer> answer = front.ask(question).toCompletableFuture();
            answer.whenComplete((result, failure) -> replies.incrementAndGet());
            answers.add(answer);
        }
        // both solvers are busy with a queue behind them: kill one while it works on a question
        await("two answers before the kill", () -> replies.get() >= 2, Duration.ofSeconds(60));
        solvers.get(1).process().destroyForcibly();

        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
        List<Answer> answered = answers.stream().map(CompletableFuture::join).toList();
        assertThat(answered).hasSize(questions.size());
        assertThat(replies.get()).isEqualTo(questions.size());
        Counters after = front.counters();
        assertThat(after.answered() - before.answered()).isEqualTo(questions.size());
        assertThat(after.failed() - before.failed()).isZero();
        // the question the killed node was solving was asked again on the other one
        assertThat(answered).anySatisfy(answer -> assertThat(answer.trace())
                .anySatisfy(step -> assertThat(step.id()).isEqualTo("retry")));
        assertThat(front.cluster().orElseThrow().reachableSolvers()).isEqualTo(1);
    }

    @Test
    @Order(3)
    void theFrontKeepsAnsweringWithTheSolverNodeThatIsLeft() {
        assertThat(front.ask("What is the capital of Ghana?").toCompletableFuture().join().text()).isEqualTo("Accra");
        assertThat(front.readiness().ready()).isTrue();
    }

    private static List<String> testQuestions(int count) throws IOException {
        try (InputStream stream = ClusterFailoverTest.class.getResourceAsStream("/io/synod/kg/world/questions/test.jsonl")) {
            assertThat(stream).as("the test split on the classpath").isNotNull();
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8).lines().limit(count)
                    .map(line -> {
                        try {
                            return JSON.readTree(line).path("question").asText();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).toList();
        }
    }

    private static void await(String what, BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                StringBuilder outputs = new StringBuilder();
                for (SolverNode solver : solvers) {
                    outputs.append("\n--- solver node output:\n").append(String.join("\n", solver.output()));
                }
                throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what + outputs);
            }
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
