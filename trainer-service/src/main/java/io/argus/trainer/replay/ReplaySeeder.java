package io.argus.trainer.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.argus.common.contract.LabeledSample;
import io.argus.common.contract.ModelEvent;
import io.argus.common.model.Provenance;
import io.argus.common.model.StoredModel;
import io.argus.trainer.TrainerConfig;
import io.argus.trainer.labels.LabelIndex;
import io.argus.trainer.labels.LabelWriter;
import io.argus.trainer.registry.ModelHistory;
import io.argus.trainer.registry.ModelRegistry;
import io.quarkus.runtime.StartupEvent;
import java.time.Instant;

/**
 * Puts the base's own training data into the training set, once: when the champion's line of
 * models was pretrained on a dataset and {@code argus.labels} holds fewer of its samples than
 * {@code argus.trainer.replay.base-samples}, a class-balanced sample of the dataset's training split
 * is written there with the source {@code dataset:<name>}. From then on it is in Kafka like every
 * label (rebuilt after a restart), replayed in every run, and never counted as new labels.
 */
@ApplicationScoped
public class ReplaySeeder {

    private static final Logger LOG = Logger.getLogger(ReplaySeeder.class);
    private static final int BATCH = 500;

    private final ModelHistory history;
    private final ModelRegistry registry;
    private final LabelIndex index;
    private final LabelWriter writer;
    private final BaseData baseData;
    private final int wanted;

    public ReplaySeeder(ModelHistory history, ModelRegistry registry, LabelIndex index, LabelWriter writer,
                        BaseData baseData, TrainerConfig config) {
        this.history = history;
        this.registry = registry;
        this.index = index;
        this.writer = writer;
        this.baseData = baseData;
        this.wanted = config.replay().baseSamples();
    }

    void start(@Observes StartupEvent event) {
        if (wanted <= 0) {
            return;
        }
        Thread t = new Thread(this::seed, "argus-replay-seeder");
        t.setDaemon(true);
        t.start();
    }

    /** Seeds the base data once the champion and the training set are known; returns how many were written. */
    public int seed() {
        try {
            while (!history.awaitCaughtUp(10, TimeUnit.SECONDS) || !index.awaitCaughtUp(10, TimeUnit.SECONDS)) {
                LOG.info("Waiting for Kafka to read the model history and the training set");
            }
            // The champion may be promoted a moment after start (the first model of an installation).
            long deadline = System.currentTimeMillis() + 120_000;
            Optional<ModelEvent> champion = history.champion();
            while (champion.isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(1000);
                champion = history.champion();
            }
            Optional<Provenance> provenance = champion.flatMap(c -> registry.stored(c.version()))
                    .map(StoredModel::manifest).map(m -> m.provenance());
            Optional<BaseData.Dataset> data = provenance.flatMap(baseData::of);
            if (data.isEmpty()) {
                return 0;
            }
            BaseData.Dataset d = data.get();
            String source = LabeledSample.DATASET_PREFIX + d.id();
            int have = index.count(e -> source.equals(e.source()));
            if (have >= Math.min(wanted, d.train().count())) {
                LOG.infof("The training set holds %d samples of %s: nothing to seed", have, source);
                return 0;
            }
            List<String> modelLabels = champion.get().labels();
            List<Integer> picked = balanced(d, modelLabels, wanted);
            LOG.infof("Writing %d images of %s (%s) to the training set, class-balanced, as replay of the base's data",
                    picked.size(), d.id(), d.source());
            List<LabeledSample> batch = new ArrayList<>(BATCH);
            for (int i : picked) {
                String id = source + ":train:" + i;
                batch.add(new LabeledSample(id, d.labels().get(d.train().labels()[i]), source,
                        Instant.EPOCH, source, LabeledSample.Origin.UNKNOWN, d.train().png(i)));
                if (batch.size() == BATCH) {
                    writer.write(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                writer.write(batch);
            }
            return picked.size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not write the base data to the training set; runs go without replay until it is");
            return 0;
        }
    }

    /** Up to {@code n} indices of the training split, as many per class of the model as there are, in order. */
    static List<Integer> balanced(BaseData.Dataset d, List<String> modelLabels, int n) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < d.labels().size(); c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < d.train().count(); i++) {
            byClass.get(d.train().labels()[i]).add(i);
        }
        List<List<Integer>> wantedClasses = new ArrayList<>();
        for (int c = 0; c < d.labels().size(); c++) {
            if (modelLabels.contains(d.labels().get(c))) {
                wantedClasses.add(byClass.get(c));
            }
        }
        List<Integer> picked = new ArrayList<>();
        for (int round = 0; picked.size() < n; round++) {
            boolean any = false;
            for (List<Integer> members : wantedClasses) {
                if (round < members.size() && picked.size() < n) {
                    picked.add(members.get(round));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return picked;
    }
}
