package io.argus.trainer.registry;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.argus.common.contract.ModelStatus;
import io.argus.common.model.StoredModel;
import io.quarkus.runtime.StartupEvent;

/**
 * Gives a fresh installation its first champion: when {@code argus.models} has never promoted a
 * version of this model but the store holds one (the pretrained base model), the newest stored
 * version is promoted, so inference has something to serve.
 */
@ApplicationScoped
public class ChampionBootstrap {

    private static final Logger LOG = Logger.getLogger(ChampionBootstrap.class);

    private final ModelHistory history;
    private final ModelRegistry registry;

    public ChampionBootstrap(ModelHistory history, ModelRegistry registry) {
        this.history = history;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        Thread t = new Thread(this::bootstrap, "argus-champion-bootstrap");
        t.setDaemon(true);
        t.start();
    }

    private void bootstrap() {
        try {
            while (!history.awaitCaughtUp(10, TimeUnit.SECONDS)) {
                LOG.infof("Waiting for Kafka to read the model history");
            }
            if (history.champion().isPresent()) {
                LOG.infof("Champion: %s v%d", registry.modelName(), history.champion().get().version());
                return;
            }
            var newest = registry.latest();
            if (newest.isEmpty()) {
                LOG.warnf("No %s model in the store %s and none promoted yet: run the pretrain command first",
                        registry.modelName(), registry.store().root().toAbsolutePath());
                return;
            }
            StoredModel first = newest.get();
            registry.announce(first, ModelStatus.PROMOTED, "first model of this installation", null);
            LOG.infof("Promoted %s as the first champion", first.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.errorf(e, "Could not promote a first champion");
        }
    }
}
