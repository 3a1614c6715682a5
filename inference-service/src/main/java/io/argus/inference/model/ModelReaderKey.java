package io.argus.inference.model;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.argus.common.security.ApiKeys;
import io.argus.common.security.Roles;
import io.argus.common.security.SecurityConfig;
import io.argus.inference.InferenceConfig;
import io.quarkus.runtime.Startup;

/**
 * The key inference presents to the trainer's registry when it downloads a bundle: the secret of
 * the key named by {@code argus.inference.model.api-key-name}, from the keys file the service
 * already reads ({@code argus.security.keys-file}). Only the name is configuration; the secret
 * stays in the mounted file. Read at start, so that a wrong name stops the service at once
 * instead of failing the first model swap.
 */
@ApplicationScoped
@Startup
public class ModelReaderKey {

    private static final Logger LOG = Logger.getLogger(ModelReaderKey.class);

    private final Optional<String> authorization;

    public ModelReaderKey(InferenceConfig config, SecurityConfig security) {
        this.authorization = secret(config.model().apiKeyName(), security.keysFile()).map(s -> "Bearer " + s);
        if (authorization.isPresent()) {
            LOG.infof("Bundle downloads send the key '%s'", config.model().apiKeyName().get());
        } else if (security.enabled()) {
            LOG.warn("Bundle downloads send no API key (argus.inference.model.api-key-name is not set): a trainer "
                    + "with access control on answers them 401");
        }
    }

    /** The request with the key, if one is configured. */
    public HttpRequest.Builder sign(HttpRequest.Builder request) {
        return authorization.map(a -> request.header("Authorization", a)).orElse(request);
    }

    /** Whether downloads send a key. */
    public boolean present() {
        return authorization.isPresent();
    }

    /**
     * The secret of key {@code name} in {@code keysFile}; empty when no name is set. A name without
     * a keys file, a name the file does not hold, or a key that may not download bundles is an error
     * that says which.
     */
    static Optional<String> secret(Optional<String> name, Optional<Path> keysFile) {
        if (name.isEmpty() || name.get().isBlank()) {
            return Optional.empty();
        }
        String wanted = name.get().strip();
        Path file = keysFile.orElseThrow(() -> new IllegalStateException("argus.inference.model.api-key-name is '"
                + wanted + "' but argus.security.keys-file is not set: the key's secret is read from that file"));
        ApiKeys.Key key = ApiKeys.read(file).named(wanted).orElseThrow(() -> new IllegalStateException(
                "argus.inference.model.api-key-name is '" + wanted + "' but " + file + " holds no key of that name"));
        if (!key.roles().contains(Roles.MODEL_READER) && !key.roles().contains(Roles.ADMIN)) {
            throw new IllegalStateException("the key '" + wanted + "' (argus.inference.model.api-key-name) has the roles "
                    + key.roles() + ", which may not download bundles: give it the role " + Roles.MODEL_READER);
        }
        return Optional.of(new String(key.secret(), StandardCharsets.UTF_8));
    }
}
