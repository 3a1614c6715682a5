package io.argus.trainer.metrics;

import jakarta.enterprise.context.ApplicationScoped;

import io.argus.trainer.registry.CommandLine;
import io.argus.trainer.registry.ModelRegistry;
import io.quarkus.scheduler.Scheduled;

/** Keeps the per-version and champion gauges in step with the registry, whoever decided what. */
@ApplicationScoped
public class MetricsRefresher {

    private final TrainerMetrics metrics;
    private final ModelRegistry registry;
    private final CommandLine commandLine;

    public MetricsRefresher(TrainerMetrics metrics, ModelRegistry registry, CommandLine commandLine) {
        this.metrics = metrics;
        this.registry = registry;
        this.commandLine = commandLine;
    }

    @Scheduled(every = "10s", delay = 2, delayUnit = java.util.concurrent.TimeUnit.SECONDS)
    void refresh() {
        if (commandLine.serving()) {
            metrics.refresh(registry);
        }
    }
}
