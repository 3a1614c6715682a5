package io.argus.inference.shadow;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.argus.common.contract.ModelEvent;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.kafka.ModelEventFeed;
import io.argus.common.topics.TopicsConfig;
import io.argus.inference.InferenceConfig;
import io.argus.inference.model.LoadOutcomes;
import io.argus.inference.model.ModelLoader;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Keeps {@link ShadowCandidate} on the version {@link ShadowSelection} names, from a feed of
 * {@code argus.models} of its own (the champion's follower is left exactly as it was). At start it
 * reads the whole topic first and loads only the candidate standing at the end, as the champion's
 * follower does. A candidate is loaded by the champion's path ({@link ModelLoader#loadCandidate}:
 * fetch, checksum, identity, warm-up) on this feed's thread, never on the stream's; one that cannot
 * be loaded is logged once, counted ({@code argus_shadow_loads_total{outcome="failed"}}), and
 * serving goes on without a shadow.
 */
@ApplicationScoped
public class ShadowFollower implements ModelEventFeed.Listener {

    private static final Logger LOG = Logger.getLogger(ShadowFollower.class);

    private final ModelEventFeed feed;
    private final ModelLoader loader;
    private final ShadowCandidate candidate;
    private final ShadowSampling sampling;
    private final ShadowSelection selection = new ShadowSelection();
    private final LoadOutcomes loads;
    private boolean caughtUp;
    /** The candidate last acted on (loaded, or refused): a feed that starts over does not load it again. */
    private ModelEvent current;

    public ShadowFollower(KafkaClients kafka, TopicsConfig topics, InferenceConfig inference, ShadowConfig config,
                          ModelLoader loader, ShadowCandidate candidate, MeterRegistry meters) {
        this.loader = loader;
        this.candidate = candidate;
        this.sampling = new ShadowSampling(config.share());
        this.loads = LoadOutcomes.register(meters, "argus.shadow.loads", "Shadow candidates loaded, and refused");
        this.feed = new ModelEventFeed(kafka, topics.models(), inference.model().name(),
                "argus-inference-shadow-events", this);
    }

    void start(@Observes StartupEvent event) {
        feed.start();
    }

    void stop(@Observes ShutdownEvent event) {
        feed.stop();
        candidate.clear();
    }

    @Override
    public synchronized void event(ModelEvent e) {
        selection.event(e);
        follow();
    }

    @Override
    public synchronized void champion(ModelEvent e) {
        selection.champion(e);
        follow();
    }

    @Override
    public synchronized void caughtUp() {
        caughtUp = true;
        follow();
    }

    private void follow() {
        if (!caughtUp) {
            return;
        }
        Optional<ModelEvent> wanted = selection.candidate();
        if (wanted.isEmpty()) {
            if (current != null) {
                LOG.infof("%s v%d no longer runs in shadow", current.modelName(), current.version());
                current = null;
                candidate.clear();
            }
            return;
        }
        ModelEvent e = wanted.get();
        if (e.equals(current)) {
            return;
        }
        current = e;
        candidate.clear();
        if (sampling.none()) {
            LOG.infof("%s v%d is announced to run in shadow; argus.inference.shadow.share is 0, so it does not",
                    e.modelName(), e.version());
            return;
        }
        LOG.infof("Model event: %s v%d is SHADOW; loading it to run beside the champion", e.modelName(), e.version());
        try {
            candidate.swap(loader.loadCandidate(e));
            loads.success().increment();
            LOG.infof("%s v%d runs in shadow", e.modelName(), e.version());
        } catch (Exception ex) {
            loads.failed().increment();
            LOG.errorf("Not running %s v%d in shadow: %s. The champion serves as ever", e.modelName(), e.version(),
                    ex.getMessage());
        }
    }
}
