package io.argus.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.common.model.ModelBundle;
import io.argus.common.model.ModelStore;
import io.argus.common.model.StoredModel;
import io.argus.common.security.ApiKeys;

/** The tools jar's one entry point, as the launcher calls it. */
class ArgusToolsTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream stdout;
    private PrintStream stderr;

    @TempDir
    Path dir;

    @BeforeEach
    void capture() {
        stdout = System.out;
        stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(stdout);
        System.setErr(stderr);
    }

    @Test
    void pretrainLearnsFashionMnistReportsEachEpochAndStoresTheNextVersion() throws Exception {
        Path store = dir.resolve("models");

        int missing = ArgusTools.run("pretrain", "--epochs", "2", "--limit", "1500", "--data",
                "/nonexistent-so-it-fails", "--store", store.toString());
        assertThat(missing).as("a missing dataset directory is an error").isNotZero();

        int code = ArgusTools.run("pretrain", "--epochs", "2", "--limit", "1500", "--store", store.toString());

        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("epoch 1/2 done", "epoch 2/2 done",
                "oneDNN layer helpers active", "Pretrained argus v1: test accuracy");
        StoredModel stored = new ModelStore(store).latest("argus").orElseThrow();
        ModelBundle bundle = new ModelStore(store).load(stored);
        assertThat(bundle.manifest().labels()).hasSize(10);
        assertThat(bundle.manifest().metrics().accuracy()).as("far better than chance (0.1)").isGreaterThan(0.5);
        assertThat(bundle.manifest().provenance().trainSamples()).isEqualTo(1500);
    }

    @Test
    void unknownCommandsAndOptionsAreRefusedWithTheUsage() throws Exception {
        assertThat(ArgusTools.run("pretrain", "--epoch", "2")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --epoch", "--epochs N");

        assertThat(ArgusTools.run("pretrian")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'pretrian'", "prune-report",
                "bench", "stream", "topics", "keys");
    }

    @Test
    void everyCommandAnswersHelp() throws Exception {
        for (ArgusTools.Command c : ArgusTools.COMMANDS) {
            out.reset();
            assertThat(ArgusTools.run(c.name(), "--help")).as(c.name()).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).as(c.name()).isNotBlank();
        }
    }

    @Test
    void keysAreMadeOnceReadableByTheUserOnlyAndPrintedPerRole() throws Exception {
        Path file = dir.resolve("run/keys");

        assertThat(ArgusTools.run("keys", "--file", file.toString())).isZero();
        String first = out.toString(StandardCharsets.UTF_8);
        out.reset();
        assertThat(ArgusTools.run("keys", "--file", file.toString())).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).as("the same keys the second time").isEqualTo(first);
        assertThat(first).containsPattern("(?m)^sensor +[0-9a-f]{48}$").containsPattern("(?m)^labeler +[0-9a-f]{48}$")
                .containsPattern("(?m)^admin +[0-9a-f]{48}$").containsPattern("(?m)^model-reader +[0-9a-f]{48}$");
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        assertThat(ApiKeys.read(file).size()).isEqualTo(4);
        assertThat(ApiKeys.read(file).named("local-model-readers").orElseThrow().roles()).containsExactly("model-reader");
    }

    @Test
    void aKeysFileMadeBeforeTheModelReaderRoleKeepsItsKeysAndGetsAModelReaderKey() throws Exception {
        Path file = dir.resolve("run/keys");
        Files.createDirectories(file.getParent());
        String old = "local-sensors:sensor:" + "1".repeat(48) + "\nlocal-labelers:labeler:" + "2".repeat(48)
                + "\nlocal-admin:admin:" + "3".repeat(48) + "\n";
        Files.writeString(file, old);

        assertThat(ArgusTools.run("keys", "--file", file.toString())).isZero();

        assertThat(Files.readString(file)).startsWith(old);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("sensor       " + "1".repeat(48))
                .containsPattern("(?m)^model-reader +[0-9a-f]{48}$");
        assertThat(ApiKeys.read(file).named("local-model-readers")).isPresent();
    }
}
