package io.argus.trainer.runs;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.deeplearning4j.nn.graph.ComputationGraph;

import io.argus.common.contract.ModelEvent;
import io.argus.common.model.ModelBundle;
import io.argus.common.model.StoredModel;
import io.argus.learning.transfer.Architecture;
import io.argus.learning.transfer.BaseNetwork;
import io.argus.learning.transfer.Transfer;
import io.argus.learning.transfer.ZooModels;
import io.argus.common.error.ArgusException;
import io.argus.trainer.TrainerConfig;
import io.argus.trainer.registry.ModelHistory;
import io.argus.trainer.registry.ModelRegistry;

/**
 * Finds what a training run starts from: {@code champion} (the model inference serves), a stored
 * version ({@code 3} or {@code v3}), or a DL4J zoo ImageNet model ({@code zoo:squeezenet},
 * {@code zoo:resnet50}, {@code zoo:vgg16}) whose weights come from the configured directory.
 */
@ApplicationScoped
public class BaseModels {

    private final ModelRegistry registry;
    private final ModelHistory history;
    private final ZooModels zoo;

    public BaseModels(ModelRegistry registry, ModelHistory history, TrainerConfig config) {
        this.registry = registry;
        this.history = history;
        this.zoo = new ZooModels(config.zoo().weightsDir(), config.zoo().download());
    }

    public BaseNetwork resolve(String base) throws IOException {
        String b = base == null ? "champion" : base.trim();
        if (b.startsWith("zoo:")) {
            Architecture arch = Architecture.named(b.substring(4))
                    .filter(a -> a != Architecture.FASHION_CNN)
                    .orElseThrow(() -> ArgusException.invalid("UNKNOWN_BASE", "unknown zoo model '" + b
                            + "'; use zoo:squeezenet, zoo:resnet50 or zoo:vgg16"));
            ComputationGraph graph = zoo.pretrained(arch);
            return new BaseNetwork(b + " (ImageNet)", arch, graph, List.of(), Transfer.outputs(graph, arch));
        }
        StoredModel stored = b.equals("champion") ? champion() : version(b);
        ModelBundle bundle = registry.store().load(stored);
        String archName = bundle.manifest().provenance() == null || bundle.manifest().provenance().architecture() == null
                ? Architecture.FASHION_CNN.name() : bundle.manifest().provenance().architecture();
        Architecture arch = Architecture.named(archName).orElseThrow(() -> ArgusException.invalid("UNKNOWN_BASE",
                "version " + stored.id() + " has architecture " + archName + ", which this trainer cannot adapt"));
        return new BaseNetwork(stored.id().toString(), arch, bundle.network(), bundle.manifest().labels(),
                bundle.manifest().labels().size());
    }

    private StoredModel champion() {
        Optional<ModelEvent> champion = history.champion();
        if (champion.isPresent()) {
            return registry.stored(champion.get().version()).orElseThrow(() -> ArgusException.conflict("MISSING_BUNDLE",
                    "the champion v" + champion.get().version() + " is not in this trainer's model store"));
        }
        return registry.store().latest(registry.modelName()).orElseThrow(() -> ArgusException.conflict("NO_BASE",
                "there is no model yet: run the pretrain command, or start from a zoo model (base zoo:...)"));
    }

    private StoredModel version(String b) {
        int v;
        try {
            v = Integer.parseInt(b.startsWith("v") ? b.substring(1) : b);
        } catch (NumberFormatException e) {
            throw ArgusException.invalid("UNKNOWN_BASE", "base must be champion, a version number or zoo:<model>, not '"
                    + b + "'");
        }
        return registry.stored(v).orElseThrow(() -> ArgusException.notFound("UNKNOWN_VERSION", "there is no model version " + v));
    }
}
