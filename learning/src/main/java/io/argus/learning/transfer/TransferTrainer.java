package io.argus.learning.transfer;

import java.util.List;

import org.deeplearning4j.nn.api.Model;

import io.argus.learning.networks.FashionCnn;
import io.argus.learning.training.Augmenter;
import io.argus.learning.training.Fitter;
import io.argus.learning.training.Networks;
import io.argus.learning.training.TrainingSet;
import java.util.ArrayList;
import java.util.Collection;

/**
 * Trains a network for a label set from a base, by strategy:
 * <ul>
 *   <li>{@code frozen}: the base's feature extractor frozen, the head trained at the head rate;</li>
 *   <li>{@code finetune}: the same, then the top block(s) unfrozen and everything above the
 *       architecture's fine-tune point trained on at the lower fine-tune rate;</li>
 *   <li>{@code scratch}: the same architecture with random weights, all trained at the head rate.</li>
 * </ul>
 * Each phase stops early on the validation loss and keeps its best epoch, but not before
 * {@code minSteps} optimizer steps. The result has nothing frozen, ready to be stored and to serve
 * as a later base. Whether it is better than the champion is for the gate to say: labels that
 * carry news (a new camera, a new class) make better candidates; more of what the champion
 * already knew usually does not.
 */
public final class TransferTrainer {

    /**
     * How to train; {@code freezeUpTo} null means the architecture's feature-extractor end.
     *
     * @param minSteps optimizer steps each phase takes at least, however few the samples
     */
    public record Settings(int maxEpochs, int patience, int minSteps, int batchSize, double headLearningRate,
                           double fineTuneLearningRate, boolean augment, long seed, String freezeUpTo) {
    }

    /** A trained network and what training it took. */
    public record Result(Model network, int epochs, double seconds, long trainableParams) {
    }

    private final Fitter.EpochOrder order;

    /** Epochs visit every training sample once, shuffled. */
    public TransferTrainer() {
        this(null);
    }

    /** Epochs visit the training samples {@code order} draws (e.g. {@link io.argus.learning.training.MixedBatches}). */
    public TransferTrainer(Fitter.EpochOrder order) {
        this.order = order;
    }

    /**
     * @param keepKnown how many leading classes mean the same in base and {@code train.labels()}
     */
    public Result train(BaseNetwork base, int keepKnown, Strategy strategy, TrainingSet train, TrainingSet validation,
                        Settings s, Fitter.Listener listener) {
        Architecture arch = base.architecture();
        int classes = train.labels().size();
        Augmenter augmenter = s.augment() ? Augmenter.standard(train.spec()) : null;
        Fitter fitter = new Fitter();
        String freezeEnd = s.freezeUpTo() != null ? s.freezeUpTo() : arch.featureExtractorEnd();
        long start = System.nanoTime();
        Model source = base.network();
        int sourceOutputs = base.outputs();
        Model trained;
        int epochs;
        long trainable;
        switch (strategy) {
            case FROZEN -> {
                trained = Transfer.adapt(source, arch, sourceOutputs, classes, keepKnown, freezeEnd,
                        s.headLearningRate(), s.seed());
                trainable = Networks.trainableParams(trained);
                epochs = fitter.fit(trained, train, validation, settings(s, s.seed(), augmenter), "head", listener).epochs();
            }
            case FINETUNE -> {
                Model head = Transfer.adapt(source, arch, sourceOutputs, classes, keepKnown, freezeEnd,
                        s.headLearningRate(), s.seed());
                epochs = fitter.fit(head, train, validation, settings(s, s.seed(), augmenter), "head", listener).epochs();
                trained = Transfer.adapt(source, arch, sourceOutputs, classes, keepKnown, arch.fineTuneFrozenEnd(),
                        s.fineTuneLearningRate(), s.seed());
                trained.setParams(head.params());
                trainable = Networks.trainableParams(trained);
                epochs += fitter.fit(trained, train, validation, settings(s, s.seed() + 1, augmenter), "finetune",
                        listener).epochs();
            }
            case SCRATCH -> {
                source = arch == Architecture.FASHION_CNN ? FashionCnn.build(classes, s.seed(), s.headLearningRate())
                        : ZooModels.random(arch, classes, s.seed());
                sourceOutputs = classes;
                trained = Transfer.adapt(source, arch, classes, classes, 0, null, s.headLearningRate(), s.seed());
                trainable = Networks.trainableParams(trained);
                epochs = fitter.fit(trained, train, validation, settings(s, s.seed(), augmenter), "scratch",
                        listener).epochs();
            }
            default -> throw new IllegalArgumentException(strategy + " does not train the network; see LearningRun");
        }
        Model clean = Transfer.unfrozen(source, arch, sourceOutputs, classes, trained, s.seed());
        return new Result(clean, epochs, (System.nanoTime() - start) / 1e9, trainable);
    }

    private Fitter.Settings settings(Settings s, long seed, Augmenter augmenter) {
        return new Fitter.Settings(s.maxEpochs(), s.batchSize(), s.patience(), s.minSteps(), seed, augmenter, order);
    }

    /** The label list of a new model: the base's (or champion's) labels in order, then new ones, sorted. */
    public static List<String> classes(List<String> known, Collection<String> labeled) {
        List<String> all = new ArrayList<>(known);
        labeled.stream().distinct().sorted().filter(l -> !all.contains(l)).forEach(all::add);
        return all;
    }
}
