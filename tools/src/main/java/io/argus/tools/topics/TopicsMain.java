package io.argus.tools.topics;

import java.util.List;

import io.argus.common.kafka.KafkaClients;
import io.argus.common.kafka.TopicCreator;
import io.argus.common.topics.TopicNames;
import io.argus.common.topics.TopicSpec;
import io.argus.tools.Args;
import io.argus.tools.CommandLine;

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

    /** Where to create them. */
    record Options(String bootstrap, int partitions) {
    }

    public static int run(String[] args) throws Exception {
        return CommandLine.run(args, USAGE, TopicsMain::parse, TopicsMain::create);
    }

    static Options parse(String[] args) {
        Args a = new Args(args, USAGE);
        String bootstrap = a.text("--bootstrap", "127.0.0.1:9092");
        int partitions = a.positive("--partitions", 4);
        a.done();
        return new Options(bootstrap, partitions);
    }

    private static int create(Options o) throws Exception {
        List<String> created = TopicCreator.create(KafkaClients.bootstrap(o.bootstrap()),
                TopicSpec.argusTopics(TopicNames.DEFAULTS, o.partitions()), 120);
        System.out.println("Argus topics on " + o.bootstrap() + ": " + (created.isEmpty() ? "all there already"
                : "created " + created));
        return 0;
    }
}
