package io.argus.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench waits for the service it starts while watching it: a service that cannot come up is
 * reported at once, with the end of its log, not after the readiness timeout.
 */
class InferenceProcessTest {

    /** Far longer than any of these tests may take: the failures must not wait for it. */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration FAST = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static Path app;

    @BeforeAll
    static void packageTheFakeService() throws IOException {
        app = dir.resolve("fake-service.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
        String entry = FakeService.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(app);
             JarOutputStream jar = new JarOutputStream(file, manifest);
             InputStream bytes = FakeService.class.getClassLoader().getResourceAsStream(entry)) {
            jar.putNextEntry(new JarEntry(entry));
            bytes.transferTo(jar);
            jar.closeEntry();
        }
    }

    @Test
    void aServiceThatExitsIsReportedAtOnceWithItsExitCodeAndTheEndOfItsLog() {
        assertNotReady("exit", "exited with 3", "Argus cannot start: the fake service is misconfigured");
    }

    @Test
    void aServiceWhoseLogSaysItFailedToStartIsReportedBeforeItExits() {
        assertNotReady("failed-log", "Failed to start", "the fake service is broken");
    }

    @Test
    void aServiceThatAnswersEveryReadinessProbeWithAServerErrorIsReportedWithTheAnswer() {
        assertNotReady("http500", "500", "argus.security.keys-file is not set", "the fake service failed a request");
    }

    @Test
    void aServiceThatComesUpIsReady() {
        assertTimeoutPreemptively(FAST, () -> {
            try (InferenceProcess p = start("ready")) {
                p.awaitReady(READY_TIMEOUT);
                assertThat(p.loadedLine()).contains("Loaded fake model");
            }
        });
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void theServicesPeakResidentMemoryIsReportedAfterItWasFreedAgain() {
        assertTimeoutPreemptively(FAST, () -> {
            try (InferenceProcess p = start("memory", "-Dfake.mib=256")) {
                p.awaitReady(READY_TIMEOUT);
                ProcessMemory m = p.memory().orElseThrow();

                // The 256 MiB were resident once, on top of the JVM; they are gone now.
                assertThat(m.peakRssBytes()).isGreaterThan(256L << 20);
                assertThat(m.rssBytes()).isLessThan(m.peakRssBytes() - (200L << 20));
            }
        });
    }

    @Test
    void whetherTheServedModelScoresImagesForBeingUnlikeItsTrainingDataIsReadFromItsReadinessCheck()
            throws IOException {
        // As SmallRye Health answers /q/health/ready with inference-service's checks.
        String on = """
                {"status":"UP","checks":[{"name":"kafka","status":"UP"},{"name":"model","status":"UP",
                "data":{"model":"bench","version":1,"engine":"onnxruntime (CPU)","ood":"on (threshold 1.00)"}}]}""";
        String off = on.replace("on (threshold 1.00)", "off: the model's bundle has no out-of-distribution statistics");

        assertThat(ServiceEndpoints.oodOf(on)).contains("on (threshold 1.00)");
        assertThat(ServiceEndpoints.oodOf(off)).hasValueSatisfying(v -> assertThat(v).startsWith("off"));
        assertThat(ServiceEndpoints.oodOf("""
                {"status":"DOWN","checks":[{"name":"model","status":"DOWN","data":{"reason":"no model loaded yet"}}]}"""))
                .isEmpty();
    }

    /** Started in this mode, the fake service is reported not ready, in a message that says all of {@code told}. */
    private static void assertNotReady(String mode, String... told) {
        assertTimeoutPreemptively(FAST, () -> {
            try (InferenceProcess p = start(mode)) {
                var failure = assertThatThrownBy(() -> p.awaitReady(READY_TIMEOUT));
                for (String t : told) {
                    failure.hasMessageContaining(t);
                }
            }
        });
    }

    private static InferenceProcess start(String mode, String... jvm) throws IOException {
        List<String> options = new ArrayList<>(List.of("-Xmx64m", "-Dfake.mode=" + mode));
        options.addAll(List.of(jvm));
        return InferenceProcess.start(app, options, Map.of(), dir.resolve(mode + ".log"));
    }
}
