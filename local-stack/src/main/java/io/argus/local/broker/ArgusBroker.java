package io.argus.local.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.BindException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import org.apache.kafka.common.Uuid;

import io.argus.common.kafka.KafkaClients;
import io.argus.common.kafka.TopicCreator;
import io.argus.common.topics.TopicNames;
import io.argus.common.topics.TopicSpec;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;

/**
 * A real single-node Apache Kafka broker in KRaft mode (broker and controller in one process),
 * from the Maven Central jars, bound to 127.0.0.1 only. Tests run it in-process; the local stack
 * runs it as its own process through {@link BrokerMain}. The one place a broker is started.
 *
 * <p>With a data directory it keeps its log and cluster id across restarts; without one it uses a
 * temporary directory that is deleted on {@link #close()}.
 */
public final class ArgusBroker implements AutoCloseable {

    public static final String HOST = "127.0.0.1";

    private final Path dataDir;
    private final boolean temporary;
    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private EmbeddedKafkaBroker broker;

    private ArgusBroker(Path dataDir, boolean temporary, int port, int controllerPort) throws IOException {
        this.dataDir = dataDir;
        this.temporary = temporary;
        this.port = port == 0 ? freePort() : port;
        this.controllerPort = controllerPort == 0 ? freePort() : controllerPort;
        this.clusterId = clusterId(dataDir);
    }

    /** A broker on a free port with a temporary data directory. */
    public static ArgusBroker startTemporary() {
        // A free port is found by binding to it and letting go: another process (the test JVMs of
        // modules built side by side) can take it before the broker binds. Then new ports, twice more.
        for (int attempt = 1; ; attempt++) {
            try {
                return new ArgusBroker(Files.createTempDirectory("argus-kafka-"), true, 0, 0).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                if (attempt == 3 || !portTaken(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean portTaken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A broker keeping its data in {@code dataDir}.
     *
     * @param port the client port, 0 for any free one
     */
    public static ArgusBroker startPersistent(Path dataDir, int port, int controllerPort) throws IOException {
        Files.createDirectories(dataDir);
        return new ArgusBroker(dataDir, false, port, controllerPort).start();
    }

    /** Starts (or restarts, after {@link #stop()}) on the same ports and data. */
    public synchronized ArgusBroker start() {
        if (broker != null) {
            return this;
        }
        broker = new EmbeddedKafkaBroker()
                .withKafkaHost(HOST)
                .withKafkaPort(port)
                .withControllerPort(controllerPort)
                .withClusterId(clusterId)
                .withDeleteLogDirsOnClose(false)
                .withAdditionalProperties(props -> {
                    props.put("log.dirs", dataDir.resolve("log").toString());
                    // Image-sized records; the topic settings in TopicSpec ask for no more than this.
                    props.put("message.max.bytes", Integer.toString(TopicSpec.MAX_MESSAGE_BYTES));
                    props.put("replica.fetch.max.bytes", Integer.toString(TopicSpec.MAX_MESSAGE_BYTES));
                    // Topics are created deliberately, with their settings; a typo must not create one.
                    props.put("auto.create.topics.enable", "false");
                    props.put("offsets.topic.num.partitions", "10");
                    // Let compaction of argus.labels and argus.models be observable in minutes, not hours.
                    props.put("log.cleaner.backoff.ms", "5000");
                    // A transaction's first write waits while the previous one's markers are written;
                    // the default 20 ms retry of that wait made each inference commit cost ~15 ms.
                    props.put("add.partitions.to.txn.retry.backoff.ms", "1");
                })
                .start();
        return this;
    }

    /** Stops the broker, keeping its data so {@link #start()} brings it back. */
    public synchronized void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    public boolean isRunning() {
        return broker != null && broker.isRunning();
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Creates the Argus topics with their settings; topics that already exist are left alone. */
    public List<String> createTopics(TopicNames names, int imagePartitions) {
        return createTopics(TopicSpec.argusTopics(names, imagePartitions));
    }

    /** Creates topics; the names of those newly created are returned. */
    public List<String> createTopics(List<TopicSpec> specs) {
        try {
            return TopicCreator.create(KafkaClients.bootstrap(bootstrapServers()), specs, 30);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the Argus topics on " + bootstrapServers() + ": " + e, e);
        }
    }

    @Override
    public synchronized void close() {
        stop();
        if (temporary) {
            deleteRecursively(dataDir);
        }
    }

    private static String clusterId(Path dataDir) throws IOException {
        Path file = dataDir.resolve("cluster-id");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        }
        String id = Uuid.randomUuid().toString();
        Files.writeString(file, id, StandardCharsets.US_ASCII);
        return id;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temp directory we could not fully delete is not worth failing a test run for.
        }
    }
}
