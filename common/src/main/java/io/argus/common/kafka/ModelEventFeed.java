package io.argus.common.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.common.error.ContractViolation;
import io.argus.common.json.Json;
import io.argus.common.contract.ModelEvent;

/**
 * One model's events from {@code argus.models}: the whole compacted topic first, then whatever
 * comes next (see {@link TopicFollower}). Unreadable events are skipped with a warning.
 */
public final class ModelEventFeed {

    /** What a feed reports. Called on the feed's thread. */
    public interface Listener {
        void event(ModelEvent event);

        /** Everything that was on the topic at start has been passed to {@link #event}. */
        default void caughtUp() {
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ModelEventFeed.class);

    private final TopicFollower follower;

    public ModelEventFeed(KafkaClients kafka, String topic, String modelName, String clientId,
                          Listener listener) {
        this.follower = new TopicFollower(kafka, topic, clientId, new TopicFollower.Handler() {
            @Override
            public void record(ConsumerRecord<String, byte[]> r) {
                if (!modelName.equals(r.key()) || r.value() == null) {
                    return;
                }
                try {
                    listener.event(Json.read(r.value(), ModelEvent.class));
                } catch (ContractViolation e) {
                    LOG.warn("Skipping unreadable model event at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                            e.getMessage());
                }
            }

            @Override
            public void caughtUp() {
                listener.caughtUp();
            }
        });
    }

    public ModelEventFeed start() {
        follower.start();
        return this;
    }

    public void stop() {
        follower.stop();
    }
}
