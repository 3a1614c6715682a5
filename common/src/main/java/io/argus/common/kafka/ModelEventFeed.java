package io.argus.common.kafka;

import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.argus.common.contract.ModelEvent;

/**
 * One model's events from {@code argus.models}: the whole compacted topic first, then whatever
 * comes next (see {@link TopicFollower}). Unreadable events are skipped with a warning.
 *
 * <p>Two kinds of record (see {@link ModelEvent}): under a version key, the latest word on that
 * version; under the model name, the champion record, the version that serves. A topic written
 * before version keys existed holds every event under the model name: a serving one is a champion
 * record, and every one is the word on its version, which is how both are reported here.
 */
public final class ModelEventFeed {

    /** What a feed reports. Called on the feed's thread. */
    public interface Listener {
        /** An event about a version (the latest one read is the latest word on it). */
        default void event(ModelEvent event) {
        }

        /** A champion record: from now on the version it names serves. */
        default void champion(ModelEvent event) {
        }

        /** Everything that was on the topic at start has been passed on. */
        default void caughtUp() {
        }
    }

    private final TopicFollower follower;

    public ModelEventFeed(KafkaClients kafka, String topic, String modelName, String clientId,
                          Listener listener) {
        String championKey = ModelEvent.championKey(modelName);
        this.follower = new TopicFollower(kafka, topic, clientId, new TopicFollower.Handler() {
            @Override
            public void record(ConsumerRecord<String, byte[]> r) {
                boolean championRecord = championKey.equals(r.key());
                if (r.value() == null || !(championRecord || ModelEvent.isVersionKey(r.key(), modelName))) {
                    return;
                }
                Optional<ModelEvent> read = JsonRecords.read(r, ModelEvent.class, "model event");
                if (read.isEmpty()) {
                    return;
                }
                ModelEvent e = read.get();
                listener.event(e);
                if (championRecord && e.status() != null && e.status().serves()) {
                    listener.champion(e);
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
