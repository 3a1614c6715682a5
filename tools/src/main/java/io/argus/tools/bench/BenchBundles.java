package io.argus.tools.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.engine.Dl4jClassifier;
import io.argus.common.model.BundleManifest;
import io.argus.common.model.ModelBundle;
import io.argus.common.model.ModelId;
import io.argus.common.model.ModelStore;
import io.argus.common.model.Provenance;
import io.argus.common.model.StoredModel;

/**
 * The bundles an end-to-end run's inference-service reads from its model directory, and the
 * records on {@code argus.models} that make it serve them: the benchmarked network as champion
 * (v1), and for a run with shadow a copy of it stored as v2 and announced {@code SHADOW}, as the
 * trainer puts a candidate that passed the gate in shadow ({@code ModelRegistry.startShadow}: the
 * event under the version's key only, naming the champion it runs beside). A copy, so that the
 * shadow costs what any candidate of the same architecture costs, whatever its weights.
 */
final class BenchBundles {

    /** The model name the service is configured with. */
    static final String MODEL = "bench";

    /** A record for {@code argus.models}: its key and its event. */
    record Announcement(String key, ModelEvent event) {
    }

    private BenchBundles() {
    }

    /**
     * Stores the champion (and, with {@code shadow}, its copy as the next version) in {@code dir}
     * and returns the records to write, in order: the champion's, then the candidate's. Without
     * {@code ood} the bundles leave out the model's out-of-distribution statistics, so the service
     * scores no image with them.
     */
    static List<Announcement> prepare(BenchModel m, Path dir, boolean shadow, boolean ood) throws IOException {
        ModelStore store = new ModelStore(dir);
        StoredModel champion = store.save(bundle(m, 1, "benchmark", ood));
        ModelEvent promoted = ModelEvent.about(champion, ModelStatus.PROMOTED, "benchmark").build();
        List<Announcement> records = new ArrayList<>(List.of(
                new Announcement(ModelEvent.versionKey(MODEL, 1), promoted),
                new Announcement(ModelEvent.championKey(MODEL), promoted)));
        if (shadow) {
            StoredModel candidate = store.save(bundle(m, 2, "benchmark: a copy of v1 run in shadow", ood));
            records.add(new Announcement(ModelEvent.versionKey(MODEL, 2),
                    ModelEvent.about(candidate, ModelStatus.SHADOW, "benchmark: the cost of a candidate in shadow")
                            .previousChampion(1).build()));
        }
        return records;
    }

    private static ModelBundle bundle(BenchModel m, int version, String strategy, boolean ood) {
        int classes = (int) new Dl4jClassifier(new ModelId("x", 0),
                m.spec(), List.of(), m.network()).classify(new float[m.spec().size()], 1)[0].length;
        List<String> labels = IntStream.range(0, classes).mapToObj(i -> String.format("class-%04d", i)).toList();
        BundleManifest manifest = BundleManifest.builder(MODEL, version, labels, m.spec())
                .provenance(Provenance.builder().base(m.source()).strategy(strategy).architecture(m.name()).build())
                .driftReference(m.driftReference()).ood(ood ? m.ood() : null)
                .build();
        return new ModelBundle(manifest, m.network(), m.onnx());
    }
}
