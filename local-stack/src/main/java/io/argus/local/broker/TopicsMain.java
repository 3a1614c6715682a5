package io.argus.local.broker;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import io.argus.common.topics.TopicNames;
import io.argus.common.topics.TopicSpec;

/**
 * Creates the Argus topics, with their settings from {@link TopicSpec}, on a broker someone else
 * runs (a compose or Kubernetes Kafka): {@code java -jar argus-local-stack.jar topics --bootstrap
 * kafka:9092 --partitions 4}. Waits for the broker; topics that exist are left alone.
 */
public final class TopicsMain {

    private TopicsMain() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = "127.0.0.1:9092";
        int partitions = 4;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--bootstrap" -> bootstrap = args[i + 1];
                case "--partitions" -> partitions = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (known: --bootstrap HOST:PORT --partitions N)");
            }
        }
        List<String> created = create(bootstrap, TopicSpec.argusTopics(TopicNames.DEFAULTS, partitions), 120);
        System.out.println("Argus topics on " + bootstrap + ": " + (created.isEmpty() ? "all there already"
                : "created " + created));
    }

    /** Creates the topics missing from the broker; waits up to {@code waitSeconds} for it. */
    public static List<String> create(String bootstrap, List<TopicSpec> specs, int waitSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> existing;
            while (true) {
                try {
                    existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                    break;
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka at " + bootstrap + " did not answer: " + e, e);
                    }
                    System.out.println("Waiting for Kafka at " + bootstrap + " ...");
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
