package io.argus.trainer.runs;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.deeplearning4j.nn.graph.ComputationGraph;

import io.argus.common.contract.ModelEvent;
import io.argus.common.model.BundleManifest;
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
            Architecture arch = zooArchitecture(b);
            ComputationGraph graph = zoo.pretrained(arch);
            return new BaseNetwork(b + " (ImageNet)", arch, graph, List.of(), Transfer.outputs(graph, arch));
        }
        StoredModel stored = b.equals("champion") ? champion() : version(b);
        ModelBundle bundle = registry.store().load(stored);
        return new BaseNetwork(stored.id().toString(), architectureOf(bundle.manifest()), bundle.network(),
                bundle.manifest().labels(), bundle.manifest().labels().size());
    }

    /** Refuses, when a run is requested, a base no run could start from. */
    public void check(String base) {
        String b = base == null ? "champion" : base.trim();
        if (b.startsWith("zoo:")) {
            zooArchitecture(b);
            return;
        }
        architectureOf((b.equals("champion") ? champion() : version(b)).manifest());
    }

    /** The stored version a base names; empty for zoo bases. */
    public Optional<StoredModel> stored(String base) {
        String b = base == null ? "champion" : base.trim();
        return b.startsWith("zoo:") ? Optional.empty() : Optional.of(b.equals("champion") ? champion() : version(b));
    }

    /** The network family of a stored version, by which transfer knows its layers. */
    public Architecture architectureOf(BundleManifest manifest) {
        String archName = manifest.provenance() == null || manifest.provenance().architecture() == null
                ? Architecture.FASHION_CNN.name() : manifest.provenance().architecture();
        return Architecture.named(archName).orElseThrow(() -> ArgusException.invalid("UNKNOWN_BASE",
                "version " + manifest.id() + " has architecture " + archName + ", which this trainer cannot adapt"));
    }

    private static Architecture zooArchitecture(String b) {
        return Architecture.named(b.substring(4)).filter(a -> a != Architecture.FASHION_CNN)
                .orElseThrow(() -> ArgusException.invalid("UNKNOWN_BASE", "unknown zoo model '" + b
                        + "'; use zoo:squeezenet, zoo:resnet50 or zoo:vgg16"));
    }

    private StoredModel champion() {
        Optional<ModelEvent> champion = history.champion();
        if (champion.isPresent()) {
            return registry.stored(champion.get().version()).orElseThrow(() -> ArgusException.conflict("MISSING_BUNDLE",
                    "the champion v" + champion.get().version() + " is not in this trainer's model store"));
        }
        return registry.latest().orElseThrow(() -> ArgusException.conflict("NO_BASE",
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
