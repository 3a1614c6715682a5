package io.argus.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.model.ModelStore;
import io.argus.common.model.StoredModel;
import io.argus.local.testing.KafkaBrokerResource;
import io.argus.local.testing.TempDirs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Inference downloads bundles from a trainer with access control on: it sends the secret of its
 * model-reader key (named by {@code argus.inference.model.api-key-name}, read from the keys file)
 * as {@code Authorization: Bearer}, and to the bundle URL's origin only: a redirect elsewhere is
 * not followed, so the key does not travel with it.
 */
@QuarkusTest
@QuarkusTestResource(value = BundleDownloadKeyTest.KeyedRegistry.class, restrictToAnnotatedClass = true)
class BundleDownloadKeyTest {

    static final String SECRET = "model-reader-secret-0123456789";

    /**
     * A broker, and a stand-in for the trainer's registry that serves bundles only to the
     * model-reader key and records the Authorization header of every request; no shared model
     * directory, so every bundle is downloaded.
     */
    public static class KeyedRegistry extends KafkaBrokerResource {

        static final List<String> registrySaw = new CopyOnWriteArrayList<>();
        static final List<String> elsewhereSaw = new CopyOnWriteArrayList<>();
        static Path store;
        static Path keys;
        static HttpServer registry;
        static HttpServer elsewhere;

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            try {
                store = Files.createTempDirectory("argus-registry-");
                keys = Files.createTempFile("argus-keys-", "");
                Files.writeString(keys, "test-sensors:sensor:sensor-secret-0123456789\n"
                        + "test-model-readers:model-reader:" + SECRET + "\n");
                elsewhere = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                elsewhere.createContext("/", ex -> answer(ex, elsewhereSaw, 404, null));
                elsewhere.start();
                registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                registry.createContext("/api/models/", KeyedRegistry::bundle);
                registry.start();
                config.put("argus.security.keys-file", keys.toString());
                config.put("argus.inference.model.api-key-name", "test-model-readers");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return config;
        }

        /** {@code /api/models/{v}/bundle}: the file to the right key, 401 otherwise; {@code /redirect/...} goes elsewhere. */
        private static void bundle(HttpExchange ex) throws IOException {
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/api/models/redirect/")) {
                ex.getResponseHeaders().add("Location", "http://localhost:" + elsewhere.getAddress().getPort() + "/b");
                answer(ex, registrySaw, 302, null);
                return;
            }
            String version = path.split("/")[3];
            Path file = store.resolve("argus-v" + version + ".bundle");
            boolean allowed = ("Bearer " + SECRET).equals(ex.getRequestHeaders().getFirst("Authorization"));
            answer(ex, registrySaw, allowed ? 200 : 401, allowed ? Files.readAllBytes(file) : null);
        }

        private static void answer(HttpExchange ex, List<String> saw, int status, byte[] body) throws IOException {
            saw.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            ex.sendResponseHeaders(status, body == null ? -1 : body.length);
            if (body != null) {
                ex.getResponseBody().write(body);
            }
            ex.close();
        }

        static String url(String path) {
            return "http://127.0.0.1:" + registry.getAddress().getPort() + path;
        }

        @Override
        public void stop() {
            registry.stop(0);
            elsewhere.stop(0);
            super.stop();
            TempDirs.delete(store);
            TempDirs.delete(keys);
        }
    }

    private static boolean announcedV1;

    @Test
    void aBundleIsDownloadedWithTheModelReaderKeyFromTheKeysFile() throws Exception {
        servingV1();

        assertThat(KeyedRegistry.registrySaw).isNotEmpty().allMatch(("Bearer " + SECRET)::equals);
    }

    @Test
    void aRedirectIsNotFollowedSoTheKeyGoesToTheBundleUrlsOriginOnly() throws Exception {
        servingV1();
        double failedBefore = ServiceProbe.metric("argus_model_swaps_total{outcome=\"failed\"");

        announce(BrightnessModel.bundle("argus", 2, -5.0), "/api/models/redirect/2/bundle");

        await().atMost(Duration.ofSeconds(30)).until(() -> ServiceProbe.metric("argus_model_swaps_total{outcome=\"failed\"")
                > failedBefore);
        assertThat(KeyedRegistry.elsewhereSaw).as("requests that reached the other origin").isEmpty();
        assertThat(ServiceProbe.servedVersion()).isEqualTo(1);
    }

    /** Announces v1 (once) and waits until it is served. */
    private static synchronized void servingV1() throws Exception {
        if (!announcedV1) {
            announce(BrightnessModel.bundle("argus", 1, 5.0), "/api/models/1/bundle");
            announcedV1 = true;
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> ServiceProbe.servedVersion() == 1);
    }

    private static void announce(io.argus.common.model.ModelBundle bundle, String path) throws Exception {
        StoredModel stored = new ModelStore(KeyedRegistry.store).save(bundle);
        ModelEvent event = ModelEvent.about(stored, ModelStatus.PROMOTED, "test").bundleUrl(KeyedRegistry.url(path))
                .build();
        InferenceTestResource.announce(event);
    }
}
