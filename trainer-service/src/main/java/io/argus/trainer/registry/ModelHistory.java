package io.argus.trainer.registry;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.health.HealthCheckResponse;

import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.model.GateReport;
import io.argus.common.kafka.ModelEventFeed;
import io.argus.common.topics.TopicsConfig;
import io.argus.trainer.TrainerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * What {@code argus.models} says about this trainer's model: the latest status of every version
 * (its version-key record) and which version is champion (the champion record). Rebuilt from the
 * topic at start, then kept up to date by following it, so the trainer's view survives restarts
 * and compaction, and includes decisions of others. Until it has read what the topic held at
 * start it knows no champion, so what depends on the history asks {@link #requireCaughtUp()}.
 */
@ApplicationScoped
public class ModelHistory implements ModelEventFeed.Listener {

    private final ModelEventFeed feed;
    private final Map<Integer, ModelEvent> latest = new ConcurrentHashMap<>();
    private final Map<Integer, GateReport> gates = new ConcurrentHashMap<>();
    private final CaughtUpGuard caughtUp;
    private volatile ModelEvent champion;

    public ModelHistory(KafkaClients kafka, TopicsConfig topics, TrainerConfig config) {
        this.caughtUp = new CaughtUpGuard(config.historyWait(), "MODEL_HISTORY_NOT_READ", "model history still being "
                + "read from " + topics.models() + "; which version is champion is not known yet");
        this.feed = new ModelEventFeed(kafka, topics.models(), config.modelName(), "argus-trainer-model-history",
                this);
    }

    void start(@Observes StartupEvent event) {
        feed.start();
    }

    void stop(@Observes ShutdownEvent event) {
        feed.stop();
    }

    /** Waits until the history holds everything the topic had at start. */
    public boolean awaitCaughtUp(long timeout, TimeUnit unit) throws InterruptedException {
        return caughtUp.await(timeout, unit);
    }

    /** Whether the history holds everything the topic had at start. */
    public boolean hasCaughtUp() {
        return caughtUp.isReached();
    }

    /** Ready once the history is read (the check {@code model-history}). */
    public HealthCheckResponse readiness() {
        return caughtUp.readiness("model-history");
    }

    /**
     * Waits a moment ({@code argus.trainer.history-wait}) for the history to be read, then refuses,
     * for the client to retry: before, there is no champion only because it has not been read
     * (after a restart, or while Kafka is away), and an answer would say there is none.
     */
    public void requireCaughtUp() {
        caughtUp.require();
    }

    public Optional<ModelEvent> latest(int version) {
        return Optional.ofNullable(latest.get(version));
    }

    /** The gate's judgement of a version, from the event that announced its decision. */
    public Optional<GateReport> gate(int version) {
        return Optional.ofNullable(gates.get(version));
    }

    /** The versions whose latest word is {@code status}, lowest first. */
    public List<Integer> versionsIn(ModelStatus status) {
        return latest.values().stream().filter(e -> e.status() == status).map(ModelEvent::version).sorted().toList();
    }

    public Optional<ModelEvent> champion() {
        return Optional.ofNullable(champion);
    }

    /** Records an event about a version, read from the topic or just published by this trainer. */
    @Override
    public void event(ModelEvent e) {
        latest.put(e.version(), e);
        if (e.gate() != null) {
            gates.put(e.version(), e.gate());
        }
    }

    /** Records a champion record, read from the topic or just published by this trainer. */
    @Override
    public void champion(ModelEvent e) {
        champion = e;
    }

    @Override
    public void caughtUp() {
        caughtUp.reached();
    }
}
