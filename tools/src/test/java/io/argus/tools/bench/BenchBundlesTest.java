package io.argus.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.json.Json;
import io.argus.common.model.BundleManifest;
import io.argus.common.model.DriftReference;
import io.argus.common.model.ModelBundle;
import io.argus.common.model.ModelStore;
import io.argus.common.model.OodReference;
import io.argus.common.model.StoredModel;
import io.argus.learning.networks.FashionCnn;

/**
 * What an end-to-end run's service is given to serve: the champion alone, or beside it a copy stored
 * as the next version and announced in shadow as the trainer does it (the event under the version's
 * key only, naming the champion), so that inference runs it as it runs a real candidate.
 */
class BenchBundlesTest {

    @TempDir
    Path dir;

    private static BenchModel model() {
        BenchModel m = BenchModels.withOnnx("fashion-cnn", "test", FashionCnn.build(10, 1, 1e-3), FashionCnn.INPUT);
        float[][] answers = new float[200][10];
        Random random = new Random(1);
        for (float[] a : answers) {
            a[random.nextInt(10)] = 0.5f + random.nextFloat() / 2;
        }
        return new BenchModel(m.name(), m.source(), m.network(), m.spec(), m.flopsPerImage(), m.onnx(),
                m.parityError(), DriftReference.of(answers, "test answers"), OOD);
    }

    /** Statistics of the model's training data to score served images with (their numbers do not matter here). */
    private static final OodReference OOD = new OodReference(OodReference.MAX_Z, null, null, null, List.of(), 1.0,
            0.99, 100, 100);

    @Test
    void withoutShadowTheModelIsTheChampionAndNothingRunsBesideIt() throws Exception {
        List<BenchBundles.Announcement> records = BenchBundles.prepare(model(), dir, false, true);

        assertThat(new ModelStore(dir).list(BenchBundles.MODEL)).extracting(s -> s.manifest().version())
                .containsExactly(1);
        assertThat(records).extracting(BenchBundles.Announcement::key).containsExactly("bench#v1", "bench");
        assertThat(records).extracting(r -> r.event().status()).containsOnly(ModelStatus.PROMOTED);
        assertThat(records).extracting(r -> r.event().status()).doesNotContain(ModelStatus.SHADOW);
    }

    @Test
    void withShadowACopyOfTheChampionIsStoredAsV2AndAnnouncedShadowUnderItsVersionKeyOnly() throws Exception {
        BenchModel m = model();

        List<BenchBundles.Announcement> records = BenchBundles.prepare(m, dir, true, true);

        ModelStore store = new ModelStore(dir);
        List<StoredModel> stored = store.list(BenchBundles.MODEL);
        assertThat(stored).extracting(s -> s.manifest().version()).containsExactlyInAnyOrder(1, 2);
        // The champion record first (inference serves it), then the candidate's, as the trainer writes them.
        assertThat(records).extracting(BenchBundles.Announcement::key).containsExactly("bench#v1", "bench", "bench#v2");
        ModelEvent shadow = records.get(2).event();
        assertThat(shadow.status()).isEqualTo(ModelStatus.SHADOW);
        assertThat(shadow.version()).isEqualTo(2);
        assertThat(shadow.previousChampion()).as("the champion the shadow runs beside").isEqualTo(1);
        assertThat(records.stream().filter(r -> r.key().equals(ModelEvent.championKey(BenchBundles.MODEL))))
                .as("no champion record names the candidate").extracting(r -> r.event().version()).containsExactly(1);

        // The candidate is the champion's network under the next version: the same graph, labels, input
        // and drift reference, so the service reuses the champion's inputs and watches drift as for v1.
        StoredModel v2 = stored.stream().filter(s -> s.manifest().version() == 2).findFirst().orElseThrow();
        assertThat(shadow.sha256()).isEqualTo(v2.sha256());
        ModelBundle candidate = store.load(v2);
        ModelBundle champion = store.load(stored.stream().filter(s -> s.manifest().version() == 1).findFirst()
                .orElseThrow());
        assertThat(candidate.onnx()).isEqualTo(m.onnx()).isEqualTo(champion.onnx());
        assertThat(candidate.manifest().labels()).isEqualTo(champion.manifest().labels()).hasSize(10);
        assertThat(candidate.manifest().inputSpec()).isEqualTo(champion.manifest().inputSpec()).isEqualTo(m.spec());
        assertThat(candidate.manifest().driftReference()).isEqualTo(m.driftReference()).isNotNull();
        assertThat(candidate.manifest().sensorCalibrations()).isEqualTo(champion.manifest().sensorCalibrations());
        assertThat(candidate.manifest().ood()).isEqualTo(champion.manifest().ood()).isEqualTo(OOD);
    }

    @Test
    void theOodCostRunsBundlesWithoutTheOutOfDistributionStatisticsAndNothingElseChanged() throws Exception {
        BenchModel m = model();
        BenchBundles.prepare(m, dir.resolve("on"), true, true);
        BenchBundles.prepare(m, dir.resolve("off"), true, false);

        for (int version : new int[] {1, 2}) {
            ModelBundle on = load(dir.resolve("on"), version);
            ModelBundle off = load(dir.resolve("off"), version);
            assertThat(on.manifest().ood()).as("v%d as deployed", version).isEqualTo(OOD);
            assertThat(off.manifest().ood()).as("v%d without OOD", version).isNull();
            assertThat(withoutTime(off.manifest().withOod(OOD))).as("the rest of v%d's manifest", version)
                    .isEqualTo(withoutTime(on.manifest()));
            assertThat(off.onnx()).isEqualTo(on.onnx());
            assertThat(off.network().params()).as("v%d's weights", version).isEqualTo(on.network().params());
        }
    }

    /**
     * The manifest without what differs between two writes of the same network: the time, and the
     * network entry's checksum (DL4J's zip stamps each entry with the current time, so two writes a
     * second apart differ in bytes; the test compares the weights instead).
     */
    private static JsonNode withoutTime(BundleManifest manifest) {
        return ((ObjectNode) Json.mapper().valueToTree(manifest)).without(List.of("createdAt", "networkSha256"));
    }

    private static ModelBundle load(Path dir, int version) throws Exception {
        ModelStore store = new ModelStore(dir);
        return store.load(store.list(BenchBundles.MODEL).stream().filter(s -> s.manifest().version() == version)
                .findFirst().orElseThrow());
    }
}
