package io.argus.inference.shadow;

import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.argus.common.engine.ImageClassifier;
import io.argus.inference.model.CurrentModel;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The candidate running in shadow now, if any, leased the way the champion is ({@link CurrentModel}:
 * a candidate replaced or ended while a batch runs through it is closed once that batch is done).
 * It is a second holder of its own: nothing here can change what is served.
 *
 * <p>Metric: {@code argus_shadow_candidate_version} (0 while none runs).
 */
@ApplicationScoped
public class ShadowCandidate {

    private final CurrentModel model = new CurrentModel();

    public ShadowCandidate(MeterRegistry meters) {
        Gauge.builder("argus.shadow.candidate.version", model,
                        m -> m.id().map(id -> (double) id.version()).orElse(0.0))
                .description("The model version running in shadow beside the champion (0: none)")
                .strongReference(true).register(meters);
    }

    /** Leases the candidate for one batch, or empty if none runs. */
    public Optional<CurrentModel.Lease> lease() {
        return model.lease();
    }

    /** The candidate's version, or 0. */
    public int version() {
        return model.id().map(id -> id.version()).orElse(0);
    }

    /** Whether a candidate runs. */
    public boolean running() {
        return model.id().isPresent();
    }

    void swap(ImageClassifier next) {
        model.swap(next);
    }

    void clear() {
        model.clear();
    }

    @PreDestroy
    void close() {
        model.clear();
    }
}
