package io.argus.trainer.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.model.BundleManifest;
import io.argus.common.model.GateReport;
import io.argus.common.model.ModelId;
import io.argus.common.model.ModelStore;
import io.argus.common.model.StoredModel;
import io.argus.trainer.TrainerConfig;

/**
 * The model versions of this trainer: bundles in the store, with the status {@code argus.models}
 * gives each. Publishing a decision goes through here so the event and the registry agree.
 */
@ApplicationScoped
public class ModelRegistry {

    /**
     * A version as the REST API shows it.
     *
     * @param gate the gate's judgement of it, slice by slice (null for versions the gate did not judge)
     * @param reason why it has its status (the reason of the latest event about it)
     * @param live   its accuracy on the labels given for results it served (null before any)
     * @param shadow its run beside the champion before promotion (null when it had none this trainer follows)
     */
    public record Version(String name, int version, ModelStatus status, String reason, boolean champion,
                          BundleManifest manifest, String sha256, long sizeBytes, String bundleUrl, GateReport gate,
                          LiveAccuracy live, ShadowProgress shadow) {
    }

    private final ModelStore store;
    private final TrainerConfig config;
    private final ModelHistory history;
    private final ModelEventPublisher publisher;
    private final LiveAccuracy.Source live;
    private final ShadowProgress.Source shadow;

    public ModelRegistry(TrainerConfig config, ModelHistory history, ModelEventPublisher publisher,
                         LiveAccuracy.Source live, ShadowProgress.Source shadow) {
        this.live = live;
        this.shadow = shadow;
        this.store = new ModelStore(config.storeDir());
        this.config = config;
        this.history = history;
        this.publisher = publisher;
    }

    public ModelStore store() {
        return store;
    }

    public String modelName() {
        return config.modelName();
    }

    /** The newest version in the store, whatever its status. */
    public Optional<StoredModel> latest() {
        return store.latest(config.modelName());
    }

    /** The champion's bundle; empty with no champion yet, or when its bundle is not in this store. */
    public Optional<StoredModel> storedChampion() {
        return history.champion().flatMap(c -> stored(c.version()));
    }

    public List<Version> versions() {
        return store.list(config.modelName()).stream().map(this::view).toList();
    }

    public Optional<Version> version(int version) {
        return stored(version).map(this::view);
    }

    public Optional<StoredModel> stored(int version) {
        return store.find(new ModelId(config.modelName(), version));
    }

    /**
     * Announces a decision about a stored version on argus.models. A serving decision names the
     * version it replaces as champion, which is what an automatic rollback goes back to.
     */
    public synchronized ModelEvent announce(StoredModel stored, ModelStatus status, String reason, GateReport gate) {
        int version = stored.manifest().version();
        Integer previous = status.serves() ? history.champion().map(ModelEvent::version)
                .filter(c -> c != version).orElse(null) : null;
        ModelEvent event = event(stored, status, reason, gate, previous);
        publish(List.of(event));
        return event;
    }

    /**
     * Puts a candidate that passed the gate in shadow: SHADOW for it, naming the champion it runs
     * beside in {@code previousChampion} (what the shadow is judged against, read back after a
     * restart); not a serving event, so no champion record is written. A candidate still in shadow
     * is superseded (REJECTED, in the same transaction): the new one was trained on every label it was.
     */
    public synchronized ModelEvent startShadow(StoredModel candidate, String reason, GateReport gate) {
        int version = candidate.manifest().version();
        Integer champion = history.champion().map(ModelEvent::version).orElse(null);
        List<ModelEvent> events = new ArrayList<>();
        for (int other : history.versionsIn(ModelStatus.SHADOW)) {
            if (other != version) {
                stored(other).ifPresent(s -> events.add(event(s, ModelStatus.REJECTED, "superseded by v" + version
                        + ", which entered shadow trained on every label this one was", history.gate(other)
                        .orElse(null), null)));
            }
        }
        ModelEvent shadowEvent = event(candidate, ModelStatus.SHADOW, reason, gate, champion);
        events.add(shadowEvent);
        publish(events);
        return shadowEvent;
    }

    /**
     * Ends a shadow with the decision (PROMOTED, then judged by the rollback watch like any
     * promotion; or REJECTED), keeping the gate's judgement. Nothing is written if the version is no
     * longer in shadow or the champion is no longer {@code champion} (a person decided meanwhile).
     *
     * @return whether the decision was announced
     */
    public synchronized boolean concludeShadow(StoredModel candidate, ModelStatus decision, String reason,
                                               Integer champion) {
        int version = candidate.manifest().version();
        boolean inShadow = history.latest(version).map(e -> e.status() == ModelStatus.SHADOW).orElse(false);
        Integer now = history.champion().map(ModelEvent::version).orElse(null);
        if (!inShadow || decision == ModelStatus.PROMOTED && !Objects.equals(now, champion)) {
            return false;
        }
        announce(candidate, decision, reason, history.gate(version).orElse(null));
        return true;
    }

    /**
     * Takes {@code withdrawn} out of service and makes {@code restored} champion again, in one
     * transaction: WITHDRAWN for the first, RESTORED for the second, both with the reason; each
     * keeps the gate's judgement that decided it (compaction keeps only a version's latest event).
     *
     * @return the RESTORED event
     */
    public synchronized ModelEvent rollBack(StoredModel withdrawn, StoredModel restored, String reason) {
        int w = withdrawn.manifest().version();
        int r = restored.manifest().version();
        if (history.champion().map(c -> c.version() != w).orElse(true)) {
            throw new IllegalStateException("v" + w + " is not the champion (any more): nothing to withdraw");
        }
        ModelEvent out = event(withdrawn, ModelStatus.WITHDRAWN, reason, history.gate(w).orElse(null), null);
        ModelEvent back = event(restored, ModelStatus.RESTORED, reason, history.gate(r).orElse(null), w);
        publish(List.of(out, back));
        return back;
    }

    private ModelEvent event(StoredModel stored, ModelStatus status, String reason, GateReport gate,
                             Integer previousChampion) {
        return ModelEvent.about(stored, status, reason).bundleUrl(bundleUrl(stored.manifest().version())).gate(gate)
                .previousChampion(previousChampion).build();
    }

    private void publish(List<ModelEvent> events) {
        publisher.publish(events);
        for (ModelEvent e : events) {
            history.event(e);
            if (e.status().serves()) {
                history.champion(e);
            }
        }
    }

    private Version view(StoredModel s) {
        int v = s.manifest().version();
        Optional<ModelEvent> latest = history.latest(v);
        ModelStatus status = latest.map(ModelEvent::status).orElse(null);
        boolean champion = history.champion().map(c -> c.version() == v).orElse(false);
        return new Version(s.manifest().name(), v, status, latest.map(ModelEvent::reason).orElse(null), champion,
                s.manifest(), s.sha256(), s.sizeBytes(),
                bundleUrl(v), history.gate(v).orElse(null), live.of(v).orElse(null), shadow.of(v).orElse(null));
    }

    private String bundleUrl(int version) {
        return config.publicUrl() + "/api/models/" + version + "/bundle";
    }
}
