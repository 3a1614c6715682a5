package io.argus.trainer.labels;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only once the label index is read: before, the trainer knows only part of the training
 * set, and the requests that answer from all of it are refused (503 LABELS_NOT_READ).
 */
@Readiness
@ApplicationScoped
public class LabelIndexCheck implements HealthCheck {

    private final LabelIndex index;

    public LabelIndexCheck(LabelIndex index) {
        this.index = index;
    }

    @Override
    public HealthCheckResponse call() {
        return index.readiness();
    }
}
