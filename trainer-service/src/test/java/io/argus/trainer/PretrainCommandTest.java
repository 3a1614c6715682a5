package io.argus.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.argus.common.model.ModelBundle;
import io.argus.common.model.ModelStore;
import io.argus.common.model.StoredModel;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

@QuarkusMainTest
class PretrainCommandTest {

    @Test
    void pretrainLearnsFashionMnistReportsEachEpochAndStoresTheNextVersion(QuarkusMainLauncher launcher) throws Exception {
        Path store = Files.createTempDirectory("argus-pretrain-");

        LaunchResult first = launcher.launch("pretrain", "--epochs", "2", "--limit", "1500", "--data",
                "/nonexistent-so-it-fails", "--store", store.toString());
        assertThat(first.exitCode()).as("a missing dataset directory is an error").isNotZero();

        LaunchResult run = launcher.launch("pretrain", "--epochs", "2", "--limit", "1500", "--store", store.toString());

        assertThat(run.exitCode()).as(run.getOutput() + run.getErrorOutput()).isZero();
        assertThat(run.getOutput()).contains("epoch 1/2 done", "epoch 2/2 done", "oneDNN layer helpers active",
                "Pretrained argus v1: test accuracy");
        StoredModel stored = new ModelStore(store).latest("argus").orElseThrow();
        ModelBundle bundle = new ModelStore(store).load(stored);
        assertThat(bundle.manifest().labels()).hasSize(10);
        assertThat(bundle.manifest().metrics().accuracy()).as("far better than chance (0.1)").isGreaterThan(0.5);
        assertThat(bundle.manifest().metrics().perClass()).hasSize(10);
        assertThat(bundle.manifest().metrics().confusion()).hasSize(10);
        assertThat(bundle.manifest().provenance().trainSamples()).isEqualTo(1500);
    }

    @Test
    void unknownOptionsAreRefusedWithTheUsage(QuarkusMainLauncher launcher) {
        LaunchResult run = launcher.launch("pretrain", "--epoch", "2");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.getErrorOutput()).contains("unknown option --epoch", "--epochs N");
    }
}
