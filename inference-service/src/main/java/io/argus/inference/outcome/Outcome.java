package io.argus.inference.outcome;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.argus.common.contract.Classification;

/** What became of one raw record: a classification, or a failure bound for the dead-letter topic. */
public sealed interface Outcome {

    ConsumerRecord<String, byte[]> source();

    /** The key of its outputs: the image id, or the record's position when the id could not be read. */
    String key();

    /**
     * @param embedding the image's penultimate-layer embedding when the forward pass gave one (for
     *                  drift per sensor; not part of the result written), else null
     */
    record Classified(ConsumerRecord<String, byte[]> source, Classification result, float[] embedding)
            implements Outcome {

        public Classified(ConsumerRecord<String, byte[]> source, Classification result) {
            this(source, result, null);
        }

        @Override
        public String key() {
            return result.imageId();
        }
    }

    /**
     * @param key   the image id when it could be read, else the record's position
     * @param stage where it failed: {@code contract}, {@code decode} or {@code inference}
     * @param code  machine-readable reason, e.g. {@code CORRUPT_IMAGE}
     */
    record Failed(ConsumerRecord<String, byte[]> source, String key, String stage, String code, String message)
            implements Outcome {
    }
}
