package io.argus.inference.model;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;

import io.argus.common.contract.ModelEvent;
import io.argus.inference.InferenceConfig;
import java.time.Duration;

/**
 * Gets the bundle a model event announces: from the shared model directory when it is configured
 * and has the file, otherwise downloaded from the trainer's registry with inference's
 * model-reader key. Checksums are verified by whoever loads the file.
 */
@ApplicationScoped
public class BundleFetcher {

    /** A bundle file on local disk; {@code temporary} ones are deleted after loading. */
    public record Fetched(Path file, boolean temporary) {
    }

    private final InferenceConfig.Model config;
    private final ModelReaderKey key;
    private final HttpClient http;

    public BundleFetcher(InferenceConfig config, ModelReaderKey key) {
        this.config = config.model();
        this.key = key;
        // Redirects are not followed: Java's client would send the key on to wherever a redirect
        // points. The trainer serves bundles itself, so a redirect is an error.
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    public Fetched fetch(ModelEvent event) throws IOException, InterruptedException {
        if (config.directory().isPresent() && event.bundleFile() != null) {
            Path shared = config.directory().get().resolve(event.bundleFile());
            if (Files.isRegularFile(shared)) {
                return new Fetched(shared, false);
            }
        }
        if (event.bundleUrl() == null || event.bundleUrl().isBlank()) {
            throw new IOException("model event " + event.modelName() + " v" + event.version()
                    + " names no bundle URL and the bundle is not in the shared model directory");
        }
        Path tmp = Files.createTempFile("argus-bundle-", ".bundle");
        try {
            HttpRequest request = key.sign(HttpRequest.newBuilder(URI.create(event.bundleUrl()))
                    .timeout(config.downloadTimeout()).GET()).build();
            HttpResponse<Path> response = http.send(request, HttpResponse.BodyHandlers.ofFile(tmp));
            if (response.statusCode() != 200) {
                throw new IOException("downloading " + event.bundleUrl() + " answered HTTP " + response.statusCode()
                        + why(response.statusCode()));
            }
            return new Fetched(tmp, true);
        } catch (IOException | InterruptedException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private String why(int status) {
        if (status == 401 || status == 403) {
            return key.present() ? " (the trainer does not accept the key argus.inference.model.api-key-name names"
                    + " for bundles: it needs the role model-reader)"
                    : " (the trainer wants a key: set argus.inference.model.api-key-name to a model-reader key)";
        }
        return status / 100 == 3 ? " (a redirect, not followed: the key goes to the bundle URL's origin only)" : "";
    }
}
