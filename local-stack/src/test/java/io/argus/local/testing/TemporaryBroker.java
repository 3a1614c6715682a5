package io.argus.local.testing;

import java.util.function.Consumer;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.argus.local.broker.ArgusBroker;

/**
 * A real broker of its own for one test class that runs no Quarkus application (a Quarkus test
 * takes {@link KafkaBrokerResource}): started before the class's first test, with the topics
 * {@code topics} creates, and closed after its last.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TemporaryBroker KAFKA = new TemporaryBroker(b -> b.createTopics(TopicNames.DEFAULTS, 2));
 * }</pre>
 */
public final class TemporaryBroker implements BeforeAllCallback, AfterAllCallback {

    private final Consumer<ArgusBroker> topics;
    private ArgusBroker broker;

    public TemporaryBroker(Consumer<ArgusBroker> topics) {
        this.topics = topics;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = ArgusBroker.startTemporary();
        topics.accept(broker);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** The class's broker, to stop and start again. */
    public ArgusBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the class's broker is not running: register it with @RegisterExtension");
        }
        return broker;
    }

    public String bootstrapServers() {
        return broker().bootstrapServers();
    }
}
