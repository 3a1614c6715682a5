package io.argus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A packaged service (ingest, the lightest) whose access control cannot work does not start: it
 * exits non-zero at once with one message that says what is wrong, instead of coming up and
 * answering 500 to every request and readiness probe. No broker is needed: it stops before Kafka.
 */
class AccessMisconfiguredIT {

    /** Start-up of ingest on a busy 2-core machine is well under this; the old behaviour never exits. */
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(60);

    private final Path root = Path.of(System.getProperty("argus.root", "..")).toAbsolutePath().normalize();
    private final Path work = root.resolve("end-to-end-tests/target/e2e-misconfigured");

    @Test
    void accessControlOnWithoutAKeysFileStopsTheServiceAtStartWithOneClearMessage() throws Exception {
        String log = startIngestExpectingExit("no-keys-file");

        assertThat(log).contains("argus.security.keys-file is not set");
        assertThat(log).doesNotContain("\tat ");
    }

    @Test
    void aKeysFileThatDoesNotExistStopsTheServiceAtStartNamingTheFile() throws Exception {
        Path missing = work.resolve("no-such-keys");
        String log = startIngestExpectingExit("missing-keys-file", "-Dargus.security.keys-file=" + missing);

        assertThat(log).contains("cannot read the API keys file " + missing);
        assertThat(log).doesNotContain("\tat ");
    }

    @Test
    void aKeysFileWithALineItCannotTrustStopsTheServiceAtStartNamingTheLine() throws Exception {
        Path keys = Files.createDirectories(work).resolve("short-secret-keys");
        Files.writeString(keys, "# a key whose secret is too short\nsensors:sensor:short\n");
        String log = startIngestExpectingExit("untrusted-keys-file", "-Dargus.security.keys-file=" + keys);

        assertThat(log).contains(keys + " line 2").contains("shorter than 16 characters");
        assertThat(log).doesNotContain("\tat ");
    }

    /** Starts the packaged ingest-service; asserts it exits non-zero within the bound; returns its log. */
    private String startIngestExpectingExit(String name, String... options) throws Exception {
        Path jar = root.resolve("ingest-service/target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("packaged ingest-service (./mvnw verify packages it first)").isRegularFile();
        Path log = work.resolve(name + ".log");
        Files.deleteIfExists(log);
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m", "-Dquarkus.http.port=" + freePort(),
                // Nothing listens there: a service that got as far as Kafka would not find it.
                "-Dkafka.bootstrap.servers=127.0.0.1:" + freePort()));
        jvm.addAll(List.of(options));
        try (ServiceProcess ingest = ServiceProcess.start("ingest", jar, log, jvm)) {
            int code = ingest.awaitExit(EXIT_WITHIN);
            String output = Files.readString(log);
            assertThat(code).as("exit code; log:\n%s", output).isNotZero();
            return output;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
