// The `synod kg` commands on a small TSV graph written by the test, and their help and error output.
package io.synod.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KgCommandTest {

    @TempDir Path directory;
    private Path graph;

    record Result(int exitCode, String out, String err) {}

    private static Result synod(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = SynodCommand.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(exitCode, out.toString(), err.toString());
    }

    @BeforeEach
    void writeGraph() throws IOException {
        graph = directory.resolve("africa.tsv");
        Files.writeString(graph, String.join("\n",
                "# a tiny graph in the TSV triple format",
                "Togo\tcapital\tLomé",
                "Togo\tcurrency\tWest African CFA franc",
                "Benin\tcapital\tPorto-Novo",
                "Benin\tcurrency\tWest African CFA franc",
                "Togo\tborders\tBenin",
                "Benin\tborders\tTogo",
                "Lomé\tpopulation\t\"749700\"",
                ""));
    }

    @Test
    void pathFollowsRelationsForwardAndBackwards() {
        Result forward = synod("kg", "path", "--graph", graph.toString(), "Togo", "currency");
        assertThat(forward.exitCode()).as(forward.err()).isZero();
        assertThat(forward.out()).contains("West African CFA franc");

        Result backwards = synod("kg", "path", "--graph", graph.toString(), "Lome", "capital-of", "currency");
        assertThat(backwards.exitCode()).as(backwards.err()).isZero();
        assertThat(backwards.out().strip()).startsWith("West African CFA franc").doesNotContain("Benin");
    }

    @Test
    void findListsTheAccentedEntityForUnaccentedText() {
        Result result = synod("kg", "find", "--graph", graph.toString(), "lome");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().lines().findFirst()).hasValueSatisfying(line -> assertThat(line).contains("Lomé"));
    }

    @Test
    void neighboursShowsOutAndInEdgesWithLabels() {
        Result result = synod("kg", "neighbours", "--graph", graph.toString(), "Benin");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("capital (1)", "Porto-Novo", "borders-of (1)", "Togo");
    }

    @Test
    void sparqlPrintsATable() {
        Result result = synod("kg", "sparql", "--graph", graph.toString(),
                "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("n");
    }

    @Test
    void sparqlWithoutAQueryIsAUsageError() {
        Result result = synod("kg", "sparql", "--graph", graph.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("QUERY", "--file");
    }

    @Test
    void aGraphLoadedIntoTdb2IsReopenedWithGraphDirectory() {
        Path store = directory.resolve("store");
        Result load = synod("kg", "load", "--into", store.toString(), graph.toString());
        assertThat(load.exitCode()).as(load.err()).isZero();
        assertThat(load.out()).contains("16 triples");

        Result path = synod("kg", "path", "--graph", store.toString(), "Benin", "capital");
        assertThat(path.exitCode()).as(path.err()).isZero();
        assertThat(path.out()).contains("Porto-Novo");
    }

    @Test
    void anUnknownRelationFailsWithTheKnownNames() {
        Result result = synod("kg", "path", "--graph", graph.toString(), "Togo", "currencyy");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("currencyy", "currency", "capital");
    }

    @Test
    void aMissingGraphFileIsNamedInTheError() {
        Result result = synod("kg", "stats", "--graph", directory.resolve("absent.ttl").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("absent.ttl");
    }

    @Test
    void everyCommandDescribesItselfWithHelp() {
        for (String command : new String[] {"stats", "relations", "find", "mentions", "neighbours", "path", "connect", "sparql", "load"}) {
            Result result = synod("kg", command, "--help");
            assertThat(result.exitCode()).as(command).isZero();
            assertThat(result.out()).as(command).contains("Usage: synod kg " + command);
        }
        assertThat(synod("--help").out()).contains("kg");
    }

    @Test
    void aMisspelledCommandIsAUsageError() {
        Result result = synod("kg", "neighbors-of");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("neighbors-of");
    }
}
