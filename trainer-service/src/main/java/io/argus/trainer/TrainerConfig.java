package io.argus.trainer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code argus.trainer.*}: model store, labels, training, the gate. */
@ConfigMapping(prefix = "argus.trainer")
public interface TrainerConfig {

    /** The model this trainer trains and announces (the key of its events on argus.models). */
    @WithDefault("argus")
    String modelName();

    /** The model store directory (bundle files). */
    @WithDefault("models")
    Path storeDir();

    /** The base URL inference services download bundles from (this service's registry). */
    @WithDefault("http://127.0.0.1:8083")
    String publicUrl();

    /** How many recently classified images the trainer remembers, to label them by image id. */
    @WithDefault("200000")
    int imageIndexSize();

    Training training();

    Trigger trigger();

    Gate gate();

    Zoo zoo();

    Labels labels();

    Review review();

    /** The review desk's queue, filled from argus.images.review. */
    interface Review {

        /** The most images the queue holds; beyond it the oldest leave (and can no longer be labeled there). */
        @WithDefault("5000")
        int maxItems();
    }

    /** Guards of the training set against mistakes and poisoning. */
    interface Labels {

        /** Labels one labeler (one API key) may give per minute; 0: no limit. */
        @WithDefault("600")
        int maxPerMinute();

        /** The only labels accepted, when set (for example {@code Bag,Coat,Sandal}); unset: any label. */
        Optional<List<String>> vocabulary();
    }

    /** Defaults of a training run; each run may override them. */
    interface Training {
        /**
         * What a run starts from: {@code champion} (the model inference serves), a version number
         * of this model, or {@code zoo:squeezenet}, {@code zoo:resnet50}, {@code zoo:vgg16}.
         */
        @WithDefault("champion")
        String base();

        /** {@code frozen}, {@code finetune} or {@code scratch}. */
        @WithDefault("finetune")
        String strategy();

        /** Overrides the architecture's last frozen layer for {@code frozen} and phase one of {@code finetune}. */
        Optional<String> freezeUpTo();

        /** Most epochs per phase; early stopping usually ends sooner. */
        @WithDefault("30")
        int maxEpochs();

        /** Epochs without a better validation loss before a phase stops. */
        @WithDefault("5")
        int patience();

        /** Optimizer steps a phase takes at least, however few labels there are (an epoch of 40 labels is 2 steps). */
        @WithDefault("300")
        int minSteps();

        @WithDefault("32")
        int batchSize();

        /** Adam learning rate of the head (frozen, finetune phase one) and of scratch training. */
        @WithDefault("0.001")
        double headLearningRate();

        /** Adam learning rate of finetune phase two, when the top block(s) train too. */
        @WithDefault("0.0001")
        double fineTuneLearningRate();

        /** Random shifts, flips, brightness and contrast on training batches. */
        @WithDefault("true")
        boolean augment();

        @WithDefault("0.15")
        double validationFraction();

        /** The held-out split the candidate and the champion are evaluated on. */
        @WithDefault("0.2")
        double testFraction();

        /** Fewer held-out samples than this and no candidate is promoted (the comparison would be noise). */
        @WithDefault("5")
        int minTestSamples();

        @WithDefault("42")
        long seed();
    }

    /** When training runs start by themselves. */
    interface Trigger {
        /** Start a run after this many new labels (0: never by count). */
        @WithDefault("50")
        int everyLabels();

        /** Also start one this often when there are new labels at all (0s: never by time). */
        @WithDefault("30m")
        Duration every();
    }

    /** When a candidate becomes champion. */
    interface Gate {
        /** {@code macro-f1} or {@code accuracy}, on the held-out samples and the classes both models know. */
        @WithDefault("macro-f1")
        String metric();

        /** A candidate is promoted if its metric >= the champion's minus this. */
        @WithDefault("0.0")
        double margin();
    }

    /** ImageNet-pretrained DL4J zoo models as bases. */
    interface Zoo {
        /** Where their weight files (e.g. resnet50_dl4j_inference.v3.zip) are looked for first. */
        Optional<Path> weightsDir();

        /** Whether a missing weight file may be downloaded from DL4J's server. */
        @WithDefault("false")
        boolean download();
    }
}
