package io.argus.inference;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.argus.common.engine.Engine;
import io.argus.common.engine.OnnxSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code argus.inference.*}: batching, routing and model settings of inference-service. */
@ConfigMapping(prefix = "argus.inference")
public interface InferenceConfig {

    Batch batch();

    /** Which results also go to the review topic, the review desk's queue. */
    Review review();

    /** How many labels each result lists. */
    @WithDefault("3")
    int topK();

    /** Consumer group of all inference replicas; Kafka spreads the raw partitions over them. */
    @WithDefault("argus-inference")
    String groupId();

    /**
     * Exactly-once classification: results, reviews, dead letters and the consumed offsets are
     * committed in one Kafka transaction. Off: at least once (offsets committed after the
     * outputs are acknowledged; a crash may repeat a batch).
     */
    @WithDefault("true")
    boolean exactlyOnce();

    /**
     * This replica's identity, stable across its restarts and unique among replicas (a pod name
     * of a StatefulSet, the host name). It becomes the Kafka transactional id, so a restarted
     * replica aborts at once what its crashed predecessor left open, and the static group member
     * id, so it takes its partitions back without a rebalance.
     */
    @WithDefault("${HOSTNAME:local}")
    String replicaId();

    /** How long the group waits for a silent replica before giving its partitions to others. */
    @WithDefault("15s")
    Duration sessionTimeout();

    /**
     * Commits run one at a time on a thread of their own, each taking what was classified while the
     * one before ran (a commit per batch on a slow stream, larger ones under a backlog). Once the
     * oldest uncommitted image has waited this long, the classification thread waits for the
     * commit in flight instead of classifying further: what a slow commit can pile up (memory,
     * latency, images to read again after a failure) stays bounded. At least once (commits on the
     * classification thread): while a backlog lasts, one commit covers the batches of this interval.
     */
    @WithDefault("100ms")
    Duration commitInterval();

    /**
     * Fault injection for tests and drills: extra time every forward pass takes, as a slow model
     * or an overloaded GPU would. Always 0 in production.
     */
    @WithDefault("0s")
    Duration faultBatchDelay();

    /**
     * Fault injection for tests and drills: every commit whose outputs hold a result (a
     * classification or a review) for this image id fails, as if Kafka refused it; {@code *}
     * makes every commit fail, dead letters and offsets alone too. Never set in production.
     */
    Optional<String> faultFailCommitWithKey();

    /**
     * Test-only fault switches ({@code argus.inference.fault.*}), each breaking one guarantee on
     * purpose so that the test that guards it can be seen to fail (docs/faults.md). All off by
     * default; never set in production.
     */
    Fault fault();

    interface Fault {
        /**
         * On the Nth commit of this process that carries outputs, once the outputs are sent (and, with
         * exactly once, the offsets added to the transaction) but before the commit, the JVM halts
         * ({@code Runtime.halt}, exit status {@value io.argus.inference.batching.CommitFault#HALT_STATUS}):
         * a crash that surely lands inside an open transaction (or, at least once, between the
         * outputs and the offsets). 0: never.
         */
        @WithDefault("0")
        int haltBeforeCommit();

        /**
         * The first batch a newly swapped-in model classifies waits this long first, as a model that
         * is swapped in cold (not warmed up, or loaded on the stream's thread) would hold the stream.
         * 0: never.
         */
        @WithDefault("0s")
        Duration swapPause();

        /**
         * The micro-batcher keeps polling while the records it holds already fill many batches, as a
         * service that buffers its backlog in memory instead of leaving it in Kafka would. Off.
         */
        @WithDefault("false")
        boolean unboundedPrefetch();
    }

    /**
     * How long this replica may go without committing offsets while a partition it owns has
     * images waiting before its readiness check fails: a stream that does not move is not ready,
     * whatever else is up.
     */
    @WithDefault("60s")
    Duration stallTimeout();

    /** Threads decoding and preprocessing images; 0 means one per CPU core. */
    @WithDefault("0")
    int decodeThreads();

    Model model();

    /**
     * Which engine serves the model: {@code onnx} (ONNX Runtime on the bundle's ONNX graph) or
     * {@code dl4j} (DL4J on oneDNN). Bundles without an ONNX graph are served by DL4J either way.
     */
    @WithDefault("onnx")
    Engine engine();

    Onnx onnx();

    interface Onnx {
        /** Threads inside one operator (a convolution); 0 lets ONNX Runtime use one per physical core. */
        @WithDefault("0")
        int threads();

        /**
         * Run on the GPU through ONNX Runtime's CUDA execution provider (the {@code gpu} build).
         * Without a usable GPU the model runs on the CPU, and the log says why.
         */
        @WithDefault("false")
        boolean cuda();

        /** Which GPU. */
        @WithDefault("0")
        int cudaDevice();

        /**
         * Let the intra-op threads spin between operators and batches instead of sleeping. Off: the
         * service's cores also decode, score, run Kafka's clients and often the broker, and a spinning
         * thread took them from all of those (the 28x28 model's saturation went from 3,000 to 4,500
         * images/s with it off; docs/serving.md, "Spinning"). On only where the model has cores to itself.
         */
        @WithDefault("false")
        boolean spinning();

        default OnnxSettings settings() {
            return new OnnxSettings(threads(), spinning(), cuda(), cudaDevice());
        }
    }

    interface Batch {
        /** Most images in one forward pass. */
        @WithDefault("32")
        int maxSize();

        /** Longest the first image of a batch waits for more to arrive. */
        @WithDefault("25ms")
        Duration maxWait();
    }

    interface Model {
        /** Which model this service serves (the key of its events on argus.models). */
        @WithDefault("argus")
        String name();

        /**
         * A model store directory shared with the trainer. When the announced bundle file is
         * there, it is read from disk instead of downloaded from the trainer's registry.
         */
        Optional<Path> directory();

        /** How long a bundle download may take. */
        @WithDefault("2m")
        Duration downloadTimeout();

        /**
         * The name of the key in {@code argus.security.keys-file} whose secret inference sends, as
         * {@code Authorization: Bearer}, when it downloads a bundle from the trainer: a key of role
         * {@code model-reader}. A name, not the secret, so that the secret stays in the mounted keys
         * file and never shows on a command line or in the environment. Unset: downloads send no
         * key (a trainer with access control off). Checked at start: a name the keys file does not
         * hold, or a key whose roles may not download bundles, stops the service.
         */
        Optional<String> apiKeyName();
    }

    /**
     * The sampling policy of {@code argus.images.review}: what people are asked to label. Labels
     * help most where the model is unsure (low confidence, or two labels nearly tied); a small
     * random share of confident results keeps the labeled set from holding only hard cases. Caps
     * keep one busy camera or one confusing class from flooding the queue.
     */
    interface Review {

        /** Results under this confidence go to review. */
        @WithDefault("0.6")
        double threshold();

        /** Results whose two best labels are closer than this (in confidence) go to review; 0: off. */
        @WithDefault("0.1")
        double margin();

        /** The fraction of the other, confident results sampled into review at random; 0: none. */
        @WithDefault("0.01")
        double randomRate();

        /** The most results this replica sends to review per minute; 0: no cap. */
        @WithDefault("600")
        int maxPerMinute();

        /** The most results per predicted label and minute this replica sends to review; 0: no cap. */
        @WithDefault("120")
        int maxPerClassPerMinute();
    }
}
