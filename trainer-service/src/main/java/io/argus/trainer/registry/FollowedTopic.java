package io.argus.trainer.registry;

import jakarta.enterprise.event.Observes;

import io.argus.common.kafka.KafkaClients;
import io.argus.common.kafka.TopicFollower;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * A trainer bean that keeps state built from a whole topic (the label index, the image locator,
 * the review queue): follows the topic from its start once the service is up, and stops
 * following at shutdown. Subclasses are {@code @Singleton}s: they are never proxied, so they need
 * no constructor without arguments.
 */
public abstract class FollowedTopic implements TopicFollower.Handler {

    private final TopicFollower follower;

    protected FollowedTopic(KafkaClients kafka, String topic, String clientId) {
        this.follower = new TopicFollower(kafka, topic, clientId, this);
    }

    void start(@Observes StartupEvent event) {
        follower.start();
    }

    void stop(@Observes ShutdownEvent event) {
        follower.stop();
    }
}
