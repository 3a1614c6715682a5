package io.argus.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.TopicNames;
import io.argus.local.broker.ArgusBroker;

/**
 * The whole of Argus as a user runs it: a real KRaft broker (in this JVM) and the three packaged
 * services as separate processes, with a base model made by the real {@code pretrain} command.
 * Started once for all end-to-end tests.
 */
final class ArgusStack implements ExtensionContext.Store.CloseableResource {

    static final int PARTITIONS = 4;
    private static final List<String> DL4J_JVM = List.of("-Xmx768m", "-Dorg.bytedeco.javacpp.maxbytes=2g",
            "-Dorg.bytedeco.javacpp.maxphysicalbytes=3g");

    /** API keys of the stack's services (access control is on: the packaged apps run the prod profile). */
    static final String SENSOR_KEY = randomKey();
    static final String LABELER_KEY = randomKey();
    static final String ADMIN_KEY = randomKey();
    /** Inference's key for downloading bundles from the trainer (it names it; the secret is in the keys file). */
    static final String MODEL_READER_KEY = randomKey();
    static final String MODEL_READER = "e2e-model-readers";

    final Path root;
    final Path work;
    private final Path keys;
    final Path store;
    final ArgusBroker broker;
    final int trainerPort;
    final int inferencePort;
    final int ingestPort;
    private ServiceProcess trainer;
    final ServiceProcess ingest;
    private ServiceProcess inference;
    private int inferenceStarts;
    /** The process of each service that writes its class-sharing archive when it exits. */
    private final Map<String, ServiceProcess> archiving = new HashMap<>();

    private ArgusStack() throws Exception {
        root = Path.of(System.getProperty("argus.root", "..")).toAbsolutePath().normalize();
        work = Files.createDirectories(root.resolve("end-to-end-tests/target/e2e"));
        store = Files.createTempDirectory(work, "models-");
        for (String service : List.of("ingest", "inference", "trainer")) {
            if (!Files.exists(jar(service))) {
                throw new IllegalStateException(jar(service) + " is missing: run ./mvnw verify (it packages first)");
            }
        }
        keys = work.resolve("keys");
        Files.writeString(keys, "e2e-sensors:sensor:" + SENSOR_KEY + "\ne2e-labelers:labeler:" + LABELER_KEY
                + "\ne2e-admin:admin:" + ADMIN_KEY + "\n" + MODEL_READER + ":model-reader:" + MODEL_READER_KEY + "\n");
        broker = ArgusBroker.startTemporary();
        broker.createTopics(TopicNames.DEFAULTS, PARTITIONS);

        Files.deleteIfExists(work.resolve("pretrain.log"));
        for (String service : List.of("trainer", "ingest", "inference")) {
            Files.deleteIfExists(work.resolve(service + ".log"));
            // An archive of an earlier build's jars: a JVM that maps a stale or torn one may crash.
            Files.deleteIfExists(archive(service));
            Files.deleteIfExists(work.resolve(service + ".jsa.part"));
        }
        ServiceProcess pretrain = ServiceProcess.start("pretrain", tools(), work.resolve("pretrain.log"),
                List.of("-Xmx1500m"), "pretrain", "--epochs", "1", "--limit", "3000", "--store", store.toString());
        int code = pretrain.awaitExit(Duration.ofMinutes(5));
        if (code != 0) {
            throw new IllegalStateException("pretrain failed:\n" + pretrain.logTail());
        }

        trainerPort = freePort();
        inferencePort = freePort();
        ingestPort = freePort();
        startTrainer();
        ingest = ServiceProcess.start("ingest", jar("ingest"), work.resolve("ingest.log"),
                jvm(List.of("-Xmx384m"), ingestPort));
        startInference();
        trainer.awaitReady(trainerPort, Duration.ofMinutes(2));
        ingest.awaitReady(ingestPort, Duration.ofMinutes(2));
        awaitInference();
    }

    static ArgusStack start() throws Exception {
        return new ArgusStack();
    }

    String bootstrap() {
        return broker.bootstrapServers();
    }

    /** Kafka clients on the stack's broker, made as the services make theirs. */
    KafkaClients kafka() {
        return KafkaClients.bootstrap(bootstrap());
    }

    /** Writes images straight to argus.raw, as ingest does (the tests' cameras). */
    KafkaProducer<String, byte[]> camera() {
        return kafka().reliableProducer("e2e-camera", KafkaClients.Payload.IMAGES);
    }

    String ingestUrl() {
        return "http://127.0.0.1:" + ingestPort;
    }

    String inferenceUrl() {
        return "http://127.0.0.1:" + inferencePort;
    }

    /**
     * Starts an inference replica; always the same replica id, as a restarted pod would have. It
     * downloads bundles from the trainer (no shared model directory) with the model-reader key.
     */
    ServiceProcess startInference(String... options) throws IOException {
        inferenceStarts++;
        List<String> more = new ArrayList<>(List.of("-Dargus.inference.replica-id=e2e",
                "-Dargus.inference.model.api-key-name=" + MODEL_READER));
        more.addAll(List.of(options));
        inference = startSharing("inference", "inference", work.resolve("inference.log"),
                jvm(DL4J_JVM, inferencePort, more.toArray(String[]::new)));
        return inference;
    }

    /** A second inference replica of the same group, with its own id, port and log. */
    record Replica(String id, ServiceProcess process, int port) {
        String url() {
            return "http://127.0.0.1:" + port;
        }

        Path log() {
            return process.log();
        }
    }

    /** Starts another inference replica (the caller stops it), as a scaled-out deployment would run. */
    Replica startReplica(String replicaId, String... options) throws IOException {
        int port = freePort();
        List<String> more = new ArrayList<>(List.of("-Dargus.inference.replica-id=" + replicaId,
                "-Dargus.inference.model.api-key-name=" + MODEL_READER));
        more.addAll(List.of(options));
        Path log = work.resolve("inference-" + replicaId + ".log");
        Files.deleteIfExists(log);
        return new Replica(replicaId, startSharing("inference", "inference-" + replicaId, log,
                jvm(DL4J_JVM, port, more.toArray(String[]::new))), port);
    }

    /**
     * Starts the trainer on the stack's model store (again, after {@link #trainer()} was stopped),
     * with more system properties if given (a test that needs other settings restarts it so).
     */
    ServiceProcess startTrainer(String... options) throws IOException {
        List<String> more = new ArrayList<>(List.of("-Dargus.trainer.store-dir=" + store,
                "-Dargus.trainer.public-url=http://127.0.0.1:" + trainerPort));
        more.addAll(List.of(options));
        trainer = startSharing("trainer", "trainer", work.resolve("trainer.log"),
                jvm(DL4J_JVM, trainerPort, more.toArray(String[]::new)));
        return trainer;
    }

    void awaitTrainer() throws Exception {
        trainer.awaitReady(trainerPort, Duration.ofMinutes(2));
    }

    ServiceProcess trainer() {
        return trainer;
    }

    void awaitInference() throws Exception {
        inference.awaitReady(inferencePort, Duration.ofMinutes(3));
    }

    String trainerUrl() {
        return "http://127.0.0.1:" + trainerPort;
    }

    /** The model version inference serves now, from its readiness check. */
    int servedVersion() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(inferenceUrl() + "/q/health/ready")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        for (var check : io.argus.common.json.Json.mapper().readTree(response.body()).get("checks")) {
            if (check.get("name").asText().equals("model")) {
                return check.get("data").get("version").asInt();
            }
        }
        throw new IllegalStateException("no model check in " + response.body());
    }

    /** Runs the pretrain command of the tools jar into the stack's model store; returns its log. */
    String pretrain(String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("pretrain", "--store", store.toString()));
        args.addAll(List.of(options));
        Path log = work.resolve("pretrain-" + System.currentTimeMillis() + ".log");
        ServiceProcess p = ServiceProcess.start("pretrain", tools(), log, List.of("-Xmx1500m"),
                args.toArray(String[]::new));
        if (p.awaitExit(Duration.ofMinutes(5)) != 0) {
            throw new IllegalStateException("pretrain failed:\n" + p.logTail());
        }
        return Files.readString(log);
    }

    ServiceProcess inference() {
        return inference;
    }

    int inferenceStarts() {
        return inferenceStarts;
    }

    /** The tools jar, where offline commands such as pretrain run. */
    private Path tools() {
        return root.resolve("tools/target/argus-tools.jar");
    }

    /**
     * Starts a process of a service that the tests start again and again (inference 14 times and the
     * trainer 6 in a run of all classes; ingest once), with class data sharing: the first process of
     * the service writes the classes it loaded to an archive as it exits ({@code
     * -XX:ArchiveClassesAtExit}), and the later ones map that archive instead of finding, loading and
     * verifying those classes again (docs/development.md#suite-time). The archive is written under
     * another name and is put in place only after its process stopped gracefully: a JVM that maps a
     * torn archive crashes.
     */
    private ServiceProcess startSharing(String service, String name, Path log, List<String> jvm) throws IOException {
        Path archive = archive(service);
        Path part = work.resolve(service + ".jsa.part");
        List<String> options = new ArrayList<>(jvm);
        synchronized (archiving) {
            ServiceProcess writer = archiving.get(service);
            if (writer != null && !writer.isAlive()) {
                archiving.remove(service);
                int status = writer.process().exitValue();
                if ((status == 0 || status == 143) && Files.exists(part)) {
                    Files.move(part, archive, StandardCopyOption.ATOMIC_MOVE);
                }
                Files.deleteIfExists(part);
            }
            if (Files.exists(archive)) {
                options.add(0, "-XX:SharedArchiveFile=" + archive);
            } else if (!archiving.containsKey(service)) {
                options.add(0, "-XX:ArchiveClassesAtExit=" + part);
                options.add(1, "-Xlog:cds*=off"); // some 1,250 lines of classes it skips, at its exit
            }
            ServiceProcess p = ServiceProcess.start(name, jar(service), log, options);
            if (options.get(0).startsWith("-XX:ArchiveClassesAtExit")) {
                archiving.put(service, p);
            }
            return p;
        }
    }

    private Path archive(String service) {
        return work.resolve(service + ".jsa");
    }

    private Path jar(String service) {
        return root.resolve(service + "-service/target/quarkus-app/quarkus-run.jar");
    }

    private List<String> jvm(List<String> base, int port, String... more) {
        List<String> all = new ArrayList<>(base);
        // The services live for a minute or two here and restart often: C1 only, so that no C2
        // compiler threads compete with the tests for the two cores (docs/development.md#suite-time).
        all.add("-XX:TieredStopAtLevel=1");
        all.add("-Dquarkus.http.port=" + port);
        all.add("-Dkafka.bootstrap.servers=" + broker.bootstrapServers());
        all.add("-Dargus.security.keys-file=" + keys);
        all.addAll(List.of(more));
        return all;
    }

    private static String randomKey() {
        byte[] b = new byte[24];
        new java.security.SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        for (ServiceProcess p : new ServiceProcess[] {ingest, inference, trainer}) {
            if (p != null) {
                p.close();
            }
        }
        broker.close();
    }
}
