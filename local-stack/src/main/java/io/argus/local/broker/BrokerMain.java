package io.argus.local.broker;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.argus.common.topics.TopicNames;

/**
 * Runs {@link ArgusBroker} as a process of its own, for the local stack:
 * {@code java -jar argus-local-stack.jar --data-dir run/kafka --port 9092 --partitions 4}.
 * Prints one {@code READY} line when the broker and topics are up; stops cleanly on SIGTERM or Ctrl-C.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of("run/kafka");
        int port = 9092;
        int controllerPort = 9093;
        int partitions = 4;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(value(args, ++i));
                case "--port" -> port = Integer.parseInt(value(args, ++i));
                case "--controller-port" -> controllerPort = Integer.parseInt(value(args, ++i));
                case "--partitions" -> partitions = Integer.parseInt(value(args, ++i));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (known: --data-dir DIR --port N --controller-port N --partitions N)");
            }
        }
        ArgusBroker broker = ArgusBroker.startPersistent(dataDir, port, controllerPort);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Kafka broker ...");
            broker.stop();
            stopped.countDown();
        }, "broker-shutdown"));
        List<String> created = broker.createTopics(TopicNames.DEFAULTS, partitions);
        System.out.println("READY Kafka broker (KRaft) at " + broker.bootstrapServers() + ", data in " + dataDir
                + (created.isEmpty() ? ", topics already there" : ", created topics " + created));
        stopped.await();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
