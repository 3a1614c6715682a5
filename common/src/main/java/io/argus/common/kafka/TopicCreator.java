package io.argus.common.kafka;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.common.topics.TopicSpec;

/**
 * Creates the Argus topics a broker lacks, with their settings from {@link TopicSpec} (the one list
 * of them): used by the local broker, the {@code topics} command of the tools jar (for a compose or
 * Kubernetes Kafka) and tests. Topics that exist are left alone.
 */
public final class TopicCreator {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);

    private TopicCreator() {
    }

    /**
     * Creates the topics missing from the broker; waits up to {@code waitSeconds} for it to answer.
     *
     * @return the names of the topics created
     */
    public static List<String> create(KafkaClients kafka, List<TopicSpec> specs, int waitSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        try (Admin admin = kafka.admin("argus-topics")) {
            Set<String> existing;
            while (true) {
                try {
                    existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                    break;
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka did not answer within " + waitSeconds + " s: " + e, e);
                    }
                    LOG.info("Waiting for Kafka ...");
                    Thread.sleep(2000);
                }
            }
            Set<String> there = existing;
            List<NewTopic> topics = specs.stream().filter(s -> !there.contains(s.name()))
                    .map(s -> new NewTopic(s.name(), s.partitions(), (short) 1).configs(s.configs())).toList();
            try {
                admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            return topics.stream().map(NewTopic::name).toList();
        }
    }
}
