package io.argus.tools.topics;

import java.util.List;

import io.argus.common.kafka.KafkaClients;
import io.argus.common.kafka.TopicCreator;
import io.argus.common.topics.TopicNames;
import io.argus.common.topics.TopicSpec;

/**
 * Creates the Argus topics, with their settings from {@link TopicSpec}, on a broker someone else
 * runs (a compose or Kubernetes Kafka): {@code java -jar argus-tools.jar topics --bootstrap
 * kafka:9092 --partitions 4}. Waits for the broker; topics that exist are left alone.
 */
public final class TopicsMain {

    public static final String USAGE = """
            topics [options]   create the Argus topics a broker lacks (with their settings from TopicSpec)
              --bootstrap HOST:PORT   the broker (default 127.0.0.1:9092)
              --partitions N          partitions of the image topics (default 4)""";

    private TopicsMain() {
    }

    public static int run(String[] args) throws Exception {
        String bootstrap = "127.0.0.1:9092";
        int partitions = 4;
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(USAGE);
            return 0;
        }
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                System.err.println(args[i] + " needs a value\n" + USAGE);
                return 2;
            }
            switch (args[i]) {
                case "--bootstrap" -> bootstrap = args[i + 1];
                case "--partitions" -> partitions = Integer.parseInt(args[i + 1]);
                default -> {
                    System.err.println("unknown option " + args[i] + "\n" + USAGE);
                    return 2;
                }
            }
        }
        List<String> created = TopicCreator.create(KafkaClients.bootstrap(bootstrap),
                TopicSpec.argusTopics(TopicNames.DEFAULTS, partitions), 120);
        System.out.println("Argus topics on " + bootstrap + ": " + (created.isEmpty() ? "all there already"
                : "created " + created));
        return 0;
    }
}
