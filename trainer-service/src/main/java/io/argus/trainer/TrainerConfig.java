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

    /**
     * How long a request that needs state the trainer reads from a whole topic at start waits for it
     * before it is refused with 503: the model history (which version is champion,
     * {@code MODEL_HISTORY_NOT_READ}) and the label index ({@code LABELS_NOT_READ}). Reading each takes
     * about a second.
     */
    @WithDefault("5s")
    Duration historyWait();

    Training training();

    Trigger trigger();

    Gate gate();

    Zoo zoo();

    Labels labels();

    Review review();

    Replay replay();

    Live live();

    Rollback rollback();

    Shadow shadow();

    /** Test-only fault switches ({@code argus.trainer.fault.*}); see docs/faults.md. Never set in production. */
    Fault fault();

    interface Fault {
        /**
         * Once the first label of a request is sent (and flushed to the broker), the rest waits this
         * long: time for a test to stop the broker in the middle of a batch of labels. 0: never.
         */
        @WithDefault("0s")
        Duration labelBatchPauseAfterFirst();

        /**
         * Once the first record of a model decision is sent (and flushed to the broker), the rest
         * waits this long: time for a test to stop the broker in the middle of a rollback. 0: never.
         */
        @WithDefault("0s")
        Duration modelDecisionPauseAfterFirst();
    }

    /**
     * Live accuracy: labels people give joined to the results that were served for the same image
     * (see docs/learning.md, "Live accuracy"). The caps bound the memory it takes.
     */
    interface Live {

        /** The most recent joined labels per version that its live accuracy counts. */
        @WithDefault("500")
        int window();

        /**
         * How many served results are remembered to join labels to; a label given for an older
         * result is not joined (counted in {@code argus_live_labels_unjoined}). As many as
         * {@code image-index-size}: every image that can be labeled by id can be joined.
         */
        @WithDefault("200000")
        int maxResults();

        /** Labels read before their result (after a restart) that wait for it; beyond it the oldest give up. */
        @WithDefault("10000")
        int maxPendingLabels();

        /** The most versions whose live accuracy is kept; the lowest version numbers leave first. */
        @WithDefault("20")
        int maxVersions();
    }

    /**
     * Automatic rollback: after a promotion, the new champion's live accuracy against the one it
     * replaced (see docs/learning.md, "Automatic rollback").
     */
    interface Rollback {

        /** Whether the trainer rolls a promoted version back by itself. */
        @WithDefault("true")
        boolean enabled();

        /** Labels each version needs (on the whole, or on a sensor) before that slice is judged. */
        @WithDefault("30")
        int minLabels();

        /** How much worse (0..1) the new version must be at the upper end of the interval. */
        @WithDefault("0.05")
        double margin();

        /**
         * The z of the interval of the difference: 3.29 is 99.9%, strict because the decision is
         * taken again with every label and on every sensor.
         */
        @WithDefault("3.29")
        double z();

        /**
         * The second signal, needing no labels: a result under this confidence counts as unsure (the
         * same default as inference's review threshold).
         */
        @WithDefault("0.6")
        double lowConfidence();

        /** How much higher (0..1) a new version's unsure share on a sensor must be, at the lower end of the interval. */
        @WithDefault("0.25")
        double lowConfidenceMargin();

        /** Results each version needs on a sensor before its unsure share there is judged. */
        @WithDefault("100")
        int minResults();

        /** The unsure share is over each version's last this many results on a sensor. */
        @WithDefault("500")
        int lowConfidenceWindow();
    }

    /**
     * Shadow before promotion: a candidate that passed the gate first runs beside the champion on
     * live images (see docs/learning.md, "Shadow before promotion"). Off unless {@code images} or
     * {@code minutes} is set; both set: the window ends at whichever comes first.
     */
    interface Shadow {

        /** The window ends once the candidate has answered this many distinct images; 0: no image count. */
        @WithDefault("0")
        int images();

        /** The window ends this many minutes after the SHADOW announcement; 0: no time limit. */
        @WithDefault("0")
        int minutes();

        /** An image is one the champion was confident of when its answer's confidence is at least this. */
        @WithDefault("0.8")
        double confident();

        /**
         * On a sensor the run did not target, the least share (0..1) of the champion's confident
         * images the candidate must answer as the champion did.
         */
        @WithDefault("0.95")
        double minAgreement();

        /** Confident images a sensor needs before the agreement rule is applied to it. */
        @WithDefault("50")
        int minImages();

        /**
         * The z of the interval of the paired difference on labels given during the window (1.96:
         * 95%): the decision is taken once, at the end of the window.
         */
        @WithDefault("1.96")
        double z();

        /** Distinct images remembered per shadowed version (for dedup and for joining labels); beyond it the oldest leave. */
        @WithDefault("200000")
        int maxImages();

        default boolean enabled() {
            return images() > 0 || minutes() > 0;
        }
    }

    /** What every run trains on besides the new labels. */
    interface Replay {

        /**
         * How many images of the base's own training data (a class-balanced sample of the dataset the
         * first model was pretrained on) the training set holds, as labeled samples with the source
         * {@code dataset:<name>}; 0: none. Written to argus.labels once, when the champion's line has
         * such a dataset and the topic holds fewer of its samples.
         */
        @WithDefault("6000")
        int baseSamples();

        /** The most labels of one sensor (and of uploads without a sensor) a run trains on: a reservoir per sensor. */
        @WithDefault("5000")
        int maxPerSensor();

        /**
         * Where the base dataset's files are; unset: Debian's {@code dataset-fashion-mnist} when installed,
         * else the subset bundled with Argus. Its test split is the gate's reference slice.
         */
        Optional<Path> dataDir();
    }

    /** The review desk's queue, filled from argus.images.review. */
    interface Review {

        /** The most images the queue holds; beyond it the oldest leave (and can no longer be labeled there). */
        @WithDefault("5000")
        int maxItems();
    }

    /** Guards of the training set against mistakes and poisoning. */
    interface Labels {

        /** Labels one labeler (an API key and the person its client names) may give per minute; 0: no limit. */
        @WithDefault("600")
        int maxPerMinute();

        /** Labels all labelers of one API key together may give per minute; 0: no limit. */
        @WithDefault("1200")
        int maxPerMinutePerKey();

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

        /**
         * {@code calibrate} (the network left alone: per-sensor calibrations, new output columns for new
         * classes), {@code frozen}, {@code finetune} or {@code scratch} (the network trained, with replay).
         */
        @WithDefault("calibrate")
        String strategy();

        /** Overrides the architecture's last frozen layer for {@code frozen} and phase one of {@code finetune}. */
        Optional<String> freezeUpTo();

        /** Most epochs per phase; early stopping usually ends sooner. */
        @WithDefault("15")
        int maxEpochs();

        /** Epochs without a better validation loss before a phase stops. */
        @WithDefault("5")
        int patience();

        /** Optimizer steps a phase takes at least, however few labels there are (an epoch of 40 labels is 2 steps). */
        @WithDefault("100")
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

        /** The share of labels held out: never trained on, scored by the gate. */
        @WithDefault("0.2")
        double testFraction();

        /** Fewer training labels than this and a sensor gets no calibration. */
        @WithDefault("8")
        int minSensorLabels();

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

    /** When a candidate becomes champion: judged slice by slice against the champion (see docs/learning.md). */
    interface Gate {
        /** The largest loss of accuracy (0..1) any slice may show at the lower end of its 95% interval. */
        @WithDefault("0.02")
        double tolerance();

        /** Fewer samples than this and a slice is not judged for a regression. */
        @WithDefault("30")
        int minSliceSamples();

        /**
         * From this many samples on, a slice must show it is not worse than the tolerance (the lower end of
         * its interval); a smaller one is stopped only when it is worse with confidence by more than that.
         */
        @WithDefault("200")
        int minNonInferioritySamples();

        /** Fewer held-out labels than this and a sensor with new labels cannot show an improvement. */
        @WithDefault("5")
        int minTargetedSamples();

        /** The lowest accuracy (lower end of its 95% interval) a new class must reach. */
        @WithDefault("0.5")
        double newClassFloor();

        /** Bootstrap draws per slice. */
        @WithDefault("2000")
        int resamples();
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
