package io.argus.trainer.runs;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.argus.common.model.StoredModel;
import io.argus.trainer.TrainerConfig;
import io.argus.trainer.labels.LabelIndex;
import io.argus.trainer.registry.ModelRegistry;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.runtime.StartupEvent;

/**
 * Starts training runs by themselves: when {@code everyLabels} labels have arrived since the
 * last run (or, after a restart, since the newest model was trained), and every {@code every}
 * when there are any new labels at all. Never while a run is going.
 */
@ApplicationScoped
public class TrainingTriggers {

    private static final Logger LOG = Logger.getLogger(TrainingTriggers.class);

    private final TrainingRunner runner;
    private final LabelIndex labels;
    private final ModelRegistry registry;
    private final TrainerConfig.Trigger config;
    private volatile Instant lastScheduledCheck = Instant.now();

    public TrainingTriggers(TrainingRunner runner, LabelIndex labels, ModelRegistry registry, TrainerConfig config) {
        this.runner = runner;
        this.labels = labels;
        this.registry = registry;
        this.config = config.trigger();
    }

    void start(@Observes StartupEvent event) {
        labels.onChange(this::onLabels);
        // Labels that arrived while a run was going start the next run as soon as it ends.
        runner.onFinished(run -> onLabels());
    }

    /**
     * Labels people gave since the last run or, before any run of this process, since the newest
     * model's training set. The base's replayed data never counts.
     */
    int newLabels() {
        Instant since = runner.lastRunLabelsUpTo();
        if (since == null) {
            since = registry.latest().map(StoredModel::manifest)
                    .map(m -> m.provenance() == null ? null : m.provenance().labelsUpTo()).orElse(null);
        }
        return labels.count(LabelIndex.newSince(since));
    }

    private synchronized void onLabels() {
        int fresh = newLabels();
        if (config.everyLabels() > 0 && fresh >= config.everyLabels() && !runner.busy()) {
            start(fresh + " new labels (trigger: every " + config.everyLabels() + ")");
        }
    }

    @Scheduled(every = "30s", delay = 30, delayUnit = TimeUnit.SECONDS)
    synchronized void onSchedule() {
        Duration every = config.every();
        if (every.isZero() || runner.busy()
                || Instant.now().isBefore(lastScheduledCheck.plus(every))) {
            return;
        }
        lastScheduledCheck = Instant.now();
        int fresh = newLabels();
        if (fresh > 0) {
            start(fresh + " new labels (trigger: every " + every + ")");
        }
    }

    private void start(String why) {
        try {
            runner.start(RunRequest.DEFAULTS, why);
        } catch (RuntimeException e) {
            LOG.warnf("Could not start a training run (%s): %s", why, e.getMessage());
        }
    }
}
