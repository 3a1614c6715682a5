package io.argus.trainer.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.argus.common.model.ModelMetrics;
import io.argus.trainer.registry.ModelRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * What the trainer measures:
 * <ul>
 *   <li>{@code argus_labels_received_total{label}}</li>
 *   <li>{@code argus_training_runs_total{outcome="promoted|rejected|failed"}},
 *       {@code argus_training_run_seconds{outcome}}</li>
 *   <li>{@code argus_model_accuracy{role="candidate|champion"}}, {@code argus_model_macro_f1{role}}: the last
 *       candidate on its held-out samples and the champion as its bundle records</li>
 *   <li>{@code argus_model_version_accuracy{version, status}}, {@code argus_model_version_macro_f1{version, status}}:
 *       every stored version</li>
 *   <li>{@code argus_model_champion_version}</li>
 * </ul>
 */
@ApplicationScoped
public class TrainerMetrics {

    private final MeterRegistry meters;
    private final AtomicReference<ModelMetrics> candidate = new AtomicReference<>();
    private final AtomicReference<ModelMetrics> champion = new AtomicReference<>();
    private final MultiGauge versionAccuracy;
    private final MultiGauge versionF1;
    private volatile int championVersion;

    public TrainerMetrics(MeterRegistry meters) {
        this.meters = meters;
        for (String role : List.of("candidate", "champion")) {
            AtomicReference<ModelMetrics> ref = role.equals("candidate") ? candidate : champion;
            Gauge.builder("argus.model.accuracy", ref, r -> r.get() == null ? Double.NaN : r.get().accuracy())
                    .description("Accuracy on held-out samples").tag("role", role).strongReference(true).register(meters);
            Gauge.builder("argus.model.macro.f1", ref, r -> r.get() == null ? Double.NaN : r.get().macroF1())
                    .description("Macro F1 on held-out samples").tag("role", role).strongReference(true)
                    .register(meters);
        }
        Gauge.builder("argus.model.champion.version", this, m -> m.championVersion)
                .description("The champion version (0: none)").strongReference(true).register(meters);
        this.versionAccuracy = MultiGauge.builder("argus.model.version.accuracy")
                .description("Accuracy of each stored version on its held-out samples").register(meters);
        this.versionF1 = MultiGauge.builder("argus.model.version.macro.f1")
                .description("Macro F1 of each stored version on its held-out samples").register(meters);
    }

    public void labelReceived(String label) {
        Counter.builder("argus.labels.received").description("Labels received, by class").tag("label", label)
                .register(meters).increment();
    }

    public void run(String outcome, Duration took, ModelMetrics candidateMetrics) {
        Counter.builder("argus.training.runs").description("Training runs, by outcome").tag("outcome", outcome)
                .register(meters).increment();
        Timer.builder("argus.training.run").description("Duration of training runs, by outcome").tag("outcome", outcome)
                .register(meters).record(took);
        if (candidateMetrics != null) {
            candidate.set(candidateMetrics);
        }
    }

    /** Re-reads the registry: every version's metrics and status, and the champion's. */
    public void refresh(ModelRegistry registry) {
        List<MultiGauge.Row<?>> accuracy = new ArrayList<>();
        List<MultiGauge.Row<?>> f1 = new ArrayList<>();
        for (ModelRegistry.Version v : registry.versions()) {
            ModelMetrics m = v.manifest().metrics();
            if (m == null) {
                continue;
            }
            Tags tags = Tags.of("version", Integer.toString(v.version()),
                    "status", v.status() == null ? "STORED" : v.status().name());
            accuracy.add(MultiGauge.Row.of(tags, m.accuracy()));
            f1.add(MultiGauge.Row.of(tags, m.macroF1()));
            if (v.champion()) {
                champion.set(m);
                championVersion = v.version();
            }
        }
        versionAccuracy.register(accuracy, true);
        versionF1.register(f1, true);
    }

}
