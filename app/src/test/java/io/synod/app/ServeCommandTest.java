// `synod serve`: its help and the checks it makes before starting anything (the server itself: tests/ServeEndToEndTest).
package io.synod.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {

    @TempDir Path directory;

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = SynodCommand.run(args, new PrintWriter(out), new PrintWriter(err));
        return new String[] {Integer.toString(exitCode), out.toString(), err.toString()};
    }

    @Test
    void helpDescribesEveryOptionWithItsDefault() {
        String[] result = run("serve", "--help");

        assertThat(result[0]).isEqualTo("0");
        assertThat(result[1]).contains("--host=HOST", "127.0.0.1", "--port=PORT", "8080", "--config=FILE",
                "default: none", "SIGTERM", "synod.http.admin-token");
    }

    @Test
    void aConfigFileThatDoesNotExistIsNamed() {
        String[] result = run("serve", "--config", directory.resolve("missing.conf").toString());

        assertThat(result[0]).isEqualTo("1");
        assertThat(result[2]).contains("--config", "missing.conf", "is not a file");
    }

    @Test
    void anOutOfRangePortIsNamedBeforeAnythingLoads() throws Exception {
        Path config = Files.writeString(directory.resolve("serve.conf"), "synod.http.port = 70000\n");

        String[] result = run("serve", "--config", config.toString());

        assertThat(result[0]).isEqualTo("1");
        assertThat(result[2]).contains("synod.http.port is 70000");
    }

    @Test
    void helpDescribesTheClusterOptionsWithTheirDefaults() {
        String[] result = run("serve", "--help");

        assertThat(result[1]).contains("--role=ROLE", "front", "solver", "both", "default: no cluster",
                "--seed-nodes=HOST:PORT", "synod.cluster.seed-nodes", "--cluster-port=PORT", "25520",
                "--cluster-host=HOST");
    }

    @Test
    void anUnknownRoleIsAUsageErrorNamingIt() {
        String[] result = run("serve", "--role", "router");

        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2]).contains("--role is 'router'; expected front, solver or both");
    }

    @Test
    void aSeedNodeThatIsNotHostAndPortIsAUsageErrorNamingIt() {
        String[] result = run("serve", "--role", "solver", "--seed-nodes", "127.0.0.1:25520,node-2");

        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2]).contains("--seed-nodes: 'node-2' is not a seed node address; expected HOST:PORT");
    }

    @Test
    void anOutOfRangeClusterPortIsAUsageErrorNamingIt() {
        String[] result = run("serve", "--role", "front", "--cluster-port", "70000");

        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2]).contains("--cluster-port is 70000; expected 0 to 65535");
    }

    @Test
    void clusterOptionsWithoutARoleAreAUsageError() {
        String[] result = run("serve", "--seed-nodes", "127.0.0.1:25520");

        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2]).contains("--seed-nodes is for a cluster node: give --role front, solver or both");
    }
}
