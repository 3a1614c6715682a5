package io.argus.trainer.registry;

import java.util.Map;

import jakarta.enterprise.event.Observes;

import io.argus.common.kafka.TopicFollower;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * A trainer bean that keeps state built from a whole topic (the label index, the image locator,
 * the review queue): follows the topic from its start while the process serves, not while it runs
 * a one-off command, and stops following at shutdown.
 */
public abstract class FollowedTopic implements TopicFollower.Handler {

    private final TopicFollower follower;
    private final CommandLine commandLine;

    /** For CDI's client proxies of the subclasses only. */
    protected FollowedTopic() {
        this.follower = null;
        this.commandLine = null;
    }

    protected FollowedTopic(Map<String, Object> kafka, String topic, String clientId, CommandLine commandLine) {
        this.follower = new TopicFollower(kafka, topic, clientId, this);
        this.commandLine = commandLine;
    }

    void start(@Observes StartupEvent event) {
        if (commandLine.serving()) {
            follower.start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        follower.stop();
    }
}
