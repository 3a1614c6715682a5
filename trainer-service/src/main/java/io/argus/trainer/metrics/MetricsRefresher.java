package io.argus.trainer.metrics;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.argus.trainer.registry.ModelRegistry;
import io.quarkus.scheduler.Scheduled;

/** Keeps the per-version and champion gauges in step with the registry, whoever decided what. */
@ApplicationScoped
public class MetricsRefresher {

    private final TrainerMetrics metrics;
    private final ModelRegistry registry;

    public MetricsRefresher(TrainerMetrics metrics, ModelRegistry registry) {
        this.metrics = metrics;
        this.registry = registry;
    }

    @Scheduled(every = "10s", delay = 2, delayUnit = TimeUnit.SECONDS)
    void refresh() {
        metrics.refresh(registry);
    }
}
