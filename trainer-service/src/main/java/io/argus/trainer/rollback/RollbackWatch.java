package io.argus.trainer.rollback;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.model.StoredModel;
import io.argus.trainer.TrainerConfig;
import io.argus.trainer.live.LiveAccuracyTracker;
import io.argus.trainer.registry.ModelHistory;
import io.argus.trainer.registry.ModelRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

/**
 * After a promotion, watches the new champion's live accuracy against the champion it replaced
 * (named in the promotion event, so the watch survives a restart and compaction), and when it is
 * worse with confidence ({@link RollbackDecision}) rolls it back: WITHDRAWN for it, RESTORED for
 * the previous champion, with the figures as the reason, on {@code argus.models}; inference
 * follows. Only a PROMOTED champion is watched: a restored one has already been judged once.
 */
@ApplicationScoped
public class RollbackWatch {

    private static final Logger LOG = Logger.getLogger(RollbackWatch.class);

    private final boolean enabled;
    private final RollbackDecision decision;
    private final ModelHistory history;
    private final ModelRegistry registry;
    private final LiveAccuracyTracker live;
    private final Counter rollbacks;
    private volatile String lastVerdict;

    public RollbackWatch(TrainerConfig config, ModelHistory history, ModelRegistry registry, LiveAccuracyTracker live,
                         MeterRegistry meters) {
        TrainerConfig.Rollback r = config.rollback();
        this.enabled = r.enabled();
        this.decision = new RollbackDecision(new RollbackDecision.Settings(r.minLabels(), r.margin(), r.z()));
        this.history = history;
        this.registry = registry;
        this.live = live;
        this.rollbacks = Counter.builder("argus.model.rollbacks").tag("trigger", "automatic")
                .description("Champions the trainer rolled back by itself on live accuracy").register(meters);
    }

    @Scheduled(every = "2s", delay = 5, delayUnit = TimeUnit.SECONDS,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        if (!enabled || !caughtUp()) {
            return;
        }
        Optional<ModelEvent> champion = history.champion();
        if (champion.isEmpty() || champion.get().status() != ModelStatus.PROMOTED
                || champion.get().previousChampion() == null) {
            return;
        }
        int now = champion.get().version();
        int before = champion.get().previousChampion();
        RollbackDecision.Verdict verdict = decision.judge(live.of(now).orElse(null), live.of(before).orElse(null));
        if (!verdict.rollBack()) {
            if (!verdict.reason().equals(lastVerdict)) {
                LOG.debugf("v%d against v%d: %s", now, before, verdict.reason());
                lastVerdict = verdict.reason();
            }
            return;
        }
        Optional<StoredModel> bad = registry.stored(now);
        Optional<StoredModel> good = registry.stored(before);
        if (bad.isEmpty() || good.isEmpty()) {
            LOG.errorf("v%d should be rolled back to v%d (%s), but a bundle is not in the store", now, before,
                    verdict.reason());
            return;
        }
        String reason = "automatic rollback: " + verdict.reason();
        // A person or the gate may have decided meanwhile: rollBack refuses if v(now) no longer serves.
        registry.rollBack(bad.get(), good.get(), reason);
        rollbacks.increment();
        LOG.warnf("Withdrew v%d and restored v%d: %s", now, before, reason);
    }

    private boolean caughtUp() {
        try {
            return history.awaitCaughtUp(0, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
