package io.argus.inference.drift;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import io.argus.common.contract.Classification;
import io.argus.common.contract.DriftEvent;
import io.argus.common.drift.DriftDetector;
import io.argus.common.drift.FleetDrift;
import io.argus.common.json.Json;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.metrics.BoundedTagValues;
import io.argus.common.model.DriftReference;
import io.argus.common.model.ModelId;
import io.argus.common.topics.TopicsConfig;
import io.argus.inference.outcome.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Drift per sensor, without labels, for the model being served: each committed result is one
 * answer for its sensor's {@link FleetDrift} window (a batch processed twice counts once), compared
 * with the reference the model's bundle carries. When a sensor is flagged or cleared, a
 * {@link DriftEvent} goes to {@code argus.sensors.drift}, keyed by sensor id, and the review policy
 * samples more of a flagged sensor's results ({@link #drifted}).
 *
 * <p>Metrics: {@code argus_drift_enabled} (1 while the served model has a reference and drift is
 * on, else 0), {@code argus_drift_score{sensor}} and {@code argus_drift_drifted{sensor}} for the
 * first {@code sensor-tag-limit} sensors, {@code argus_drift_sensors_drifted} (all of them),
 * {@code argus_drift_events_total{state}}.
 *
 * <p>A swap starts every window afresh against the new model's reference; sensors flagged under the
 * old model stay flagged until their new windows clear them. The windows live in this replica's
 * memory: a restart or a rebalance starts them empty.
 */
@ApplicationScoped
public class DriftMonitor {

    private static final Logger LOG = Logger.getLogger(DriftMonitor.class);

    /** A flagged sensor, as the review policy needs it. */
    public record Drifted(String sensorId, double score, int window, double reviewRate) {
    }

    /** The served model and its sensors' drift; {@code fleet} null when drift is off for it. */
    private record Watch(ModelId model, List<String> labels, FleetDrift fleet) {
    }

    private final DriftConfig config;
    private final String topic;
    private final KafkaClients kafka;
    private final MeterRegistry meters;
    private final BoundedTagValues sensorTags;
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();
    private volatile Watch watch;
    private KafkaProducer<String, byte[]> producer;

    public DriftMonitor(DriftConfig config, TopicsConfig topics, KafkaClients kafka, MeterRegistry meters) {
        this.config = config;
        this.topic = topics.drift();
        this.kafka = kafka;
        this.meters = meters;
        this.sensorTags = new BoundedTagValues(config.sensorTagLimit());
        Gauge.builder("argus.drift.enabled", this, m -> m.watch != null && m.watch.fleet() != null ? 1 : 0)
                .description("1 while the served model has drift reference statistics and drift is on, else 0")
                .register(meters);
        Gauge.builder("argus.drift.embedding.enabled", this, m -> m.wantsEmbeddings() ? 1 : 0)
                .description("1 while drift is on and the served model's reference has an embedding summary, else 0")
                .register(meters);
        Gauge.builder("argus.drift.sensors.drifted", this, m -> {
            Watch w = m.watch;
            return w == null || w.fleet() == null ? 0 : w.fleet().drifted().size();
        }).description("Sensors flagged as drifted now").register(meters);
        // The lines a dashboard draws beside the scores: read from the settings, so a changed setting is drawn as set.
        Gauge.builder("argus.drift.threshold", config, DriftConfig::threshold)
                .description("The drift score that flags a sensor (argus.inference.drift.threshold)").register(meters);
        Gauge.builder("argus.drift.clear.below", config, DriftConfig::clearBelow)
                .description("The drift score under which a flagged sensor is cleared").register(meters);
    }

    /**
     * The model about to be served: its labels and its bundle's reference ({@code null} for a bundle made
     * before bundles carried one: drift is off for it, and the log says so once).
     */
    public void loaded(ModelId model, List<String> labels, DriftReference reference) {
        Watch previous = watch;
        FleetDrift fleet = null;
        if (!config.enabled()) {
            LOG.infof("Drift per sensor is off (argus.inference.drift.enabled=false) for %s", model);
        } else if (reference == null) {
            LOG.warnf("Drift per sensor is off for %s: its bundle has no reference statistics (made before bundles "
                    + "carried them); argus_drift_enabled is 0 while it serves", model);
        } else if (reference.classes().size() != labels.size()) {
            LOG.warnf("Drift per sensor is off for %s: its reference knows %d classes, the model %d", model,
                    reference.classes().size(), labels.size());
        } else {
            fleet = new FleetDrift(reference, config.settings(), config.maxSensors());
            LOG.infof("Drift per sensor is on for %s: reference %s (%d images), windows of %d images, flag at %.2f, "
                            + "clear under %.2f", model, reference.data(), reference.samples(), config.window(),
                    config.threshold(), config.clearBelow());
            if (reference.embedding() == null) {
                LOG.infof("The embedding part of drift is off for %s: its reference has no embedding summary (made "
                        + "before references carried one, or the network has no single embedding); "
                        + "argus_drift_embedding_enabled is 0 while it serves", model);
            } else {
                LOG.infof("The embedding part of drift is on for %s: %d dimensions, flag at a mean squared standard "
                        + "error of %.1f", model, reference.embedding().dimensions(), config.embeddingThreshold());
            }
        }
        if (previous != null && previous.fleet() != null && !previous.fleet().drifted().isEmpty()) {
            if (fleet != null) {
                fleet.carryDrifted(previous.fleet().drifted());
            } else {
                LOG.warnf("Sensors flagged as drifted under %s are no longer watched: %s", previous.model(),
                        previous.fleet().drifted());
            }
        }
        watch = new Watch(model, List.copyOf(labels), fleet);
    }

    /** Whether the answers should come with their embeddings: drift is on and its reference has a summary. */
    public boolean wantsEmbeddings() {
        Watch w = watch;
        return w != null && w.fleet() != null && w.fleet().reference().embedding() != null;
    }

    /** Takes the committed outcomes of a batch, in order. */
    public void committed(List<Outcome> outcomes) {
        Watch w = watch;
        if (w == null || w.fleet() == null) {
            return;
        }
        for (Outcome o : outcomes) {
            if (!(o instanceof Outcome.Classified c)) {
                continue;
            }
            Classification r = c.result();
            if (r.modelVersion() != w.model().version() || !w.model().name().equals(r.modelName())) {
                // The last results of the model swapped out: not comparable with the new reference.
                continue;
            }
            String sensor = r.sensorId();
            gauge(sensor);
            w.fleet().observe(sensor, w.labels().indexOf(r.label()), r.confidence(), c.embedding())
                    .ifPresent(change -> announce(w, r, change));
        }
    }

    /** The sensor's drift if it is flagged now. */
    public Optional<Drifted> drifted(String sensorId) {
        Watch w = watch;
        if (w == null || w.fleet() == null || sensorId == null || !w.fleet().drifted(sensorId)) {
            return Optional.empty();
        }
        return Optional.of(new Drifted(sensorId, w.fleet().score(sensorId).score(), config.window(),
                config.reviewRate()));
    }

    private void announce(Watch w, Classification r, FleetDrift.Change change) {
        DriftDetector.Score s = change.score();
        boolean drifted = change.transition() == DriftDetector.Transition.DRIFTED;
        String embedding = Double.isNaN(s.embedding()) ? "" : String.format(Locale.ROOT, ", embedding %.3f",
                s.embedding());
        String reason = String.format(Locale.ROOT, drifted
                        ? "sensor %s drifted: score %.3f (%s part; confidence PSI %.3f, class PSI %.3f%s) over its last "
                        + "%d images reached %.2f against %s's reference"
                        : "sensor %s came back: score %.3f (%s part; confidence PSI %.3f, class PSI %.3f%s) over its "
                        + "last %d images fell under %.2f against %s's reference",
                change.sensorId(), s.score(), s.part(), s.confidencePsi(), s.classPsi(), embedding, s.samples(),
                drifted ? config.threshold() : config.clearBelow(), w.model());
        DriftEvent event = new DriftEvent(DriftEvent.SCHEMA_VERSION, change.sensorId(),
                drifted ? DriftEvent.State.DRIFTED : DriftEvent.State.CLEARED, s.score(), s.confidencePsi(),
                s.classPsi(), Double.isNaN(s.embedding()) ? null : s.embedding(), s.part(), s.samples(), config.threshold(), config.clearBelow(), w.model().name(),
                w.model().version(), r.imageId(), reason, Instant.now());
        if (drifted) {
            LOG.warn(reason);
        } else {
            LOG.info(reason);
        }
        Counter.builder("argus.drift.events").description("Sensors flagged as drifted and cleared")
                .tag("state", event.state().name().toLowerCase(Locale.ROOT)).register(meters).increment();
        // After the batch committed, by a producer of its own (acks=all, idempotent): the events
        // are not part of the batch's transaction; a crash between the two can lose one.
        producer().send(new ProducerRecord<>(topic, change.sensorId(), Json.write(event)), (meta, e) -> {
            if (e != null) {
                LOG.warnf("Could not write the drift event of sensor %s to %s: %s", change.sensorId(), topic,
                        e.toString());
            }
        });
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = kafka.reliableProducer("argus-inference-drift", KafkaClients.Payload.JSON);
        }
        return producer;
    }

    /** Gauges of their own for the first sensors; later ones are counted in argus_drift_sensors_drifted only. */
    private void gauge(String sensor) {
        if (gauged.contains(sensor) || BoundedTagValues.OTHER.equals(sensorTags.of(sensor))) {
            return;
        }
        gauged.add(sensor);
        Gauge.builder("argus.drift.score", this, m -> m.score(sensor))
                .description("Drift score of a sensor (the largest of its parts: PSI of confidence, PSI of predicted "
                        + "classes, the embedding part; over its window); NaN while it has too few images or drift is off")
                .tag("sensor", sensor).register(meters);
        Gauge.builder("argus.drift.embedding", this, m -> {
            Watch w = m.watch;
            return w == null || w.fleet() == null ? Double.NaN : w.fleet().score(sensor).embedding();
        }).description("The embedding part of a sensor's drift score (its window's mean embedding against the "
                        + "reference's, on the PSI's scale); NaN while unknown or off")
                .tag("sensor", sensor).register(meters);
        Gauge.builder("argus.drift.drifted", this, m -> {
            Watch w = m.watch;
            return w != null && w.fleet() != null && w.fleet().drifted(sensor) ? 1 : 0;
        }).description("1 while a sensor is flagged as drifted").tag("sensor", sensor).register(meters);
    }

    private double score(String sensor) {
        Watch w = watch;
        return w == null || w.fleet() == null ? Double.NaN : w.fleet().score(sensor).score();
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
