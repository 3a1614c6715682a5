package io.argus.trainer.registry;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only once the model history is read: before, the trainer does not know which version is
 * champion, and the requests that need it are refused (503 MODEL_HISTORY_NOT_READ).
 */
@Readiness
@ApplicationScoped
public class ModelHistoryCheck implements HealthCheck {

    private final ModelHistory history;

    public ModelHistoryCheck(ModelHistory history) {
        this.history = history;
    }

    @Override
    public HealthCheckResponse call() {
        return history.readiness();
    }
}
