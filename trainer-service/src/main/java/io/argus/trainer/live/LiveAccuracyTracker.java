package io.argus.trainer.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.argus.common.contract.Classification;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.TopicsConfig;
import io.argus.trainer.TrainerConfig;
import io.argus.trainer.labels.LabelIndex;
import io.argus.trainer.registry.FollowedTopic;
import io.argus.trainer.registry.LiveAccuracy;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;

/**
 * Live accuracy in the trainer: follows {@code argus.images.classified} (what was served, from the
 * start of the topic) and the labels the label index reads, and joins them in a {@link LiveJoin}.
 * Only labels people gave by image id join: they name the raw record that was classified. Uploads
 * and the base's data were never served.
 *
 * <p>Metrics, per version and sensor ({@code sensor="(all)"} for the whole version):
 * {@code argus_live_accuracy}, {@code argus_live_accuracy_lower}, {@code argus_live_accuracy_upper}
 * (95% Wilson interval) and {@code argus_live_labels} (n); {@code argus_live_labels_unjoined}.
 */
@Singleton
public class LiveAccuracyTracker extends FollowedTopic implements LiveAccuracy.Source {

    /** The sensor tag of a version's figures over all its sensors (not a valid sensor id). */
    public static final String ALL = "(all)";

    private final LiveJoin join;
    private final MultiGauge accuracy;
    private final MultiGauge lower;
    private final MultiGauge upper;
    private final MultiGauge labels;

    public LiveAccuracyTracker(KafkaClients kafka, TopicsConfig topics, TrainerConfig config, LabelIndex index,
                               MeterRegistry meters) {
        super(kafka, topics.classified(), "argus-trainer-live-results");
        TrainerConfig.Live live = config.live();
        this.join = new LiveJoin(live.window(), live.maxResults(), live.maxPendingLabels(), live.maxVersions());
        index.onSample(this::sample);
        this.accuracy = MultiGauge.builder("argus.live.accuracy")
                .description("Share of labeled served results that were right, per version and sensor").register(meters);
        this.lower = MultiGauge.builder("argus.live.accuracy.lower")
                .description("Lower end of the 95% Wilson interval of argus_live_accuracy").register(meters);
        this.upper = MultiGauge.builder("argus.live.accuracy.upper")
                .description("Upper end of the 95% Wilson interval of argus_live_accuracy").register(meters);
        this.labels = MultiGauge.builder("argus.live.labels")
                .description("Labels joined to served results, per version and sensor (n of argus_live_accuracy)")
                .register(meters);
        Gauge.builder("argus.live.labels.unjoined", join, LiveJoin::unjoined)
                .description("Labels never joined to a served result: it was forgotten (past argus.trainer.live.max-results) "
                        + "or never read").strongReference(true).register(meters);
    }

    @Override
    public void record(ConsumerRecord<String, byte[]> r) {
        Classification.fromRecord(r).filter(c -> c.source() != null).ifPresent(c -> join.served(
                new LiveJoin.RawKey(c.source().topic(), c.source().partition(), c.source().offset()),
                new LiveJoin.Served(c.modelVersion(), c.sensorId(), c.label(), c.confidence())));
    }

    private void sample(String sampleId, LabelIndex.Entry entry) {
        if (entry == null || !entry.fromPerson() || entry.raw() == null) {
            join.removed(sampleId);
            return;
        }
        join.labeled(sampleId, new LiveJoin.RawKey(entry.raw().topic(), entry.raw().partition(), entry.raw().offset()),
                entry.label());
    }

    @Override
    public Optional<LiveAccuracy> of(int version) {
        return join.accuracy(version);
    }

    /** The join itself (the rollback watch reads the same figures). */
    public LiveJoin join() {
        return join;
    }

    @Scheduled(every = "10s", delay = 2, delayUnit = TimeUnit.SECONDS)
    void refreshMetrics() {
        List<MultiGauge.Row<?>> acc = new ArrayList<>();
        List<MultiGauge.Row<?>> lo = new ArrayList<>();
        List<MultiGauge.Row<?>> hi = new ArrayList<>();
        List<MultiGauge.Row<?>> n = new ArrayList<>();
        for (int version : join.versions()) {
            join.accuracy(version).ifPresent(a -> {
                add(Tags.of("version", Integer.toString(version), "sensor", ALL), a.n(), a.accuracy(), a.lower(),
                        a.upper(), acc, lo, hi, n);
                for (LiveAccuracy.Sensor s : a.sensors()) {
                    add(Tags.of("version", Integer.toString(version), "sensor", s.sensorId()), s.n(), s.accuracy(),
                            s.lower(), s.upper(), acc, lo, hi, n);
                }
            });
        }
        accuracy.register(acc, true);
        lower.register(lo, true);
        upper.register(hi, true);
        labels.register(n, true);
    }

    private static void add(Tags tags, int count, double value, double low, double high, List<MultiGauge.Row<?>> acc,
                            List<MultiGauge.Row<?>> lo, List<MultiGauge.Row<?>> hi, List<MultiGauge.Row<?>> n) {
        acc.add(MultiGauge.Row.of(tags, value));
        lo.add(MultiGauge.Row.of(tags, low));
        hi.add(MultiGauge.Row.of(tags, high));
        n.add(MultiGauge.Row.of(tags, count));
    }
}
