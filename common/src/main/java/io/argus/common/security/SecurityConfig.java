package io.argus.common.security;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Access to the REST endpoints ({@code argus.security.*}); on unless a profile turns it off. */
@ConfigMapping(prefix = "argus.security")
public interface SecurityConfig {

    /**
     * Whether the API endpoints need an API key with the right role (every {@code /api/*}
     * endpoint, reads included). On by default; the dev and test profiles turn it off. Health,
     * metrics, the OpenAPI document and the review desk's static page never need one.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * The API keys: a file (a mounted secret, never in the repository) with one key per line,
     * {@code name:role[,role...]:secret}; {@code #} starts a comment. Roles: sensor, labeler, admin, model-reader.
     */
    Optional<Path> keysFile();
}
