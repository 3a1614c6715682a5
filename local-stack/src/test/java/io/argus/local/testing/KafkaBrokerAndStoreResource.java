package io.argus.local.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real broker (as {@link KafkaBrokerResource}) and a model store in a new temporary directory (deleted
 * when the resource stops), shared by the service and the test: a subclass says what the store holds before the service
 * starts ({@link #fill}) and which settings point the service at it ({@link #settings}).
 */
public abstract class KafkaBrokerAndStoreResource extends KafkaBrokerResource {

    private static Path store;

    /** The store of the resource that runs now. */
    public static Path store() {
        return store;
    }

    @Override
    public final Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        try {
            store = Files.createTempDirectory("argus-models-");
            fill(store);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.putAll(settings(store));
        return config;
    }

    @Override
    public void stop() {
        super.stop();
        TempDirs.delete(store);
    }

    /** Puts in the store what it holds when the service starts; the broker is running already. */
    protected abstract void fill(Path store) throws IOException;

    /** The service's settings: where the store is, and what else the resource changes. */
    protected abstract Map<String, String> settings(Path store);

    /** {@code settings} with {@code more} on top: a later map's value wins. */
    @SafeVarargs
    protected static Map<String, String> with(Map<String, String> settings, Map<String, String>... more) {
        Map<String, String> all = new HashMap<>(settings);
        for (Map<String, String> m : more) {
            all.putAll(m);
        }
        return all;
    }
}
