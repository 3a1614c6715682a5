package io.argus.trainer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Readiness;

import io.argus.trainer.labels.LabelIndex;
import io.argus.trainer.registry.CaughtUpGuard;
import io.argus.trainer.registry.ModelHistory;

/**
 * The trainer is ready only once it has read what it rebuilds from Kafka at start: before, the
 * requests that need it are refused with 503 (see {@link CaughtUpGuard}).
 */
@ApplicationScoped
public class TrainerReadiness {

    /** {@code model-history}: which version is champion is known (else 503 MODEL_HISTORY_NOT_READ). */
    @Produces
    @Readiness
    @ApplicationScoped
    HealthCheck modelHistory(ModelHistory history) {
        return history::readiness;
    }

    /** {@code label-index}: the whole training set is known (else 503 LABELS_NOT_READ). */
    @Produces
    @Readiness
    @ApplicationScoped
    HealthCheck labelIndex(LabelIndex index) {
        return index::readiness;
    }
}
