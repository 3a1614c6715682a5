package io.argus.inference.model;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.argus.common.contract.ModelEvent;
import io.argus.common.engine.ImageClassifier;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.kafka.ModelEventFeed;
import io.argus.common.topics.TopicsConfig;
import io.argus.inference.InferenceConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Keeps {@link CurrentModel} on the version the newest champion record of {@code argus.models}
 * names (the serving event, PROMOTED or RESTORED, written under the model name; see
 * {@link ModelEvent}): events about other versions (candidates, rejections, a WITHDRAWN version)
 * never change what is served. At start it reads the whole compacted topic first and loads only
 * the last champion record, so a restarted service comes back on the current champion. A bundle that
 * cannot be fetched, verified or loaded is refused with a log line and the model in service keeps
 * serving.
 */
@ApplicationScoped
public class ModelEventFollower implements ModelEventFeed.Listener {

    private static final Logger LOG = Logger.getLogger(ModelEventFollower.class);

    private final ModelEventFeed feed;
    private final String modelName;
    private final ModelLoader loader;
    private final CurrentModel current;
    private final LoadOutcomes swaps;
    private boolean caughtUp;
    private ModelEvent wanted;
    private ModelEvent failed;

    public ModelEventFollower(KafkaClients kafka, TopicsConfig topics,
                              InferenceConfig config, ModelLoader loader, CurrentModel current, MeterRegistry meters) {
        this.modelName = config.model().name();
        this.loader = loader;
        this.current = current;
        this.swaps = LoadOutcomes.register(meters, "argus.model.swaps", "Model versions loaded and swapped in");
        Gauge.builder("argus.model.version", current,
                        c -> c.id().map(id -> (double) id.version()).orElse(0.0))
                .description("The model version being served (0: none yet)").strongReference(true).register(meters);
        this.feed = new ModelEventFeed(kafka, topics.models(), modelName, "argus-inference-model-events", this);
    }

    void start(@Observes StartupEvent event) {
        feed.start();
    }

    void stop(@Observes ShutdownEvent event) {
        feed.stop();
        current.clear();
    }

    @Override
    public void champion(ModelEvent e) {
        if (caughtUp) {
            serve(e);
        } else {
            wanted = e;
        }
    }

    @Override
    public void caughtUp() {
        caughtUp = true;
        if (wanted == null) {
            LOG.infof("No %s model has been promoted yet; waiting for one", modelName);
        } else {
            serve(wanted);
            wanted = null;
        }
    }

    private void serve(ModelEvent e) {
        boolean alreadyServing = current.id().map(id -> id.version() == e.version()).orElse(false);
        if (alreadyServing || e.equals(failed)) {
            return;
        }
        LOG.infof("Model event: %s v%d is %s; loading it", e.modelName(), e.version(), e.status());
        try {
            ImageClassifier next = loader.load(e);
            // Counted before it is served: whoever sees the new version served (readiness, results) sees the swap counted.
            swaps.success().increment();
            current.swap(next);
            LOG.infof("Now serving %s v%d", e.modelName(), e.version());
        } catch (Exception ex) {
            failed = e;
            swaps.failed().increment();
            LOG.errorf("Refusing %s v%d: %s. Still serving %s", e.modelName(), e.version(), ex.getMessage(),
                    current.id().map(Object::toString).orElse("nothing"));
        }
    }
}
