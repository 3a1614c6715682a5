package io.argus.inference.model;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once a model is loaded: before that, inference would classify nothing. */
@Readiness
@ApplicationScoped
public class ModelLoadedCheck implements HealthCheck {

    private final CurrentModel current;

    public ModelLoadedCheck(CurrentModel current) {
        this.current = current;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("model");
        return current.id()
                .map(id -> builder.up().withData("model", id.name()).withData("version", id.version())
                        .withData("engine", current.engine().orElse(""))
                        .withData("ood", current.ood().orElse("")).build())
                .orElseGet(() -> builder.down().withData("reason", "no model loaded yet").build());
    }
}
