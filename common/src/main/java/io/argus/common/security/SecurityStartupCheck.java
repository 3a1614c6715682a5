package io.argus.common.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Refuses to start a service whose access control cannot work: on, but without a keys file, or
 * with one that cannot be read or trusted. {@link ApiKeyAuthentication} reads the keys only when
 * the first request needs it, so such a service came up and answered 500 to every request,
 * readiness probes included, and whoever waited for it saw nothing but a timeout.
 */
@ApplicationScoped
public class SecurityStartupCheck {

    static final String KEYS_FILE = "argus.security.keys-file";

    /** Before anything else starts (Kafka loops, model loading): there is no point to any of it. */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, SecurityConfig config) {
        check(config);
    }

    /**
     * Throws when access control is on and its keys are missing or unusable. A
     * {@link ConfigurationException} without a cause is what Quarkus reports as just its message
     * (no stack trace) before it exits with status 1.
     */
    static void check(SecurityConfig config) {
        if (!config.enabled()) {
            return;
        }
        Path file = config.keysFile().orElseThrow(() -> refusal("argus.security.enabled=true but " + KEYS_FILE
                + " is not set: give the service its API keys (a file of name:roles:secret lines, see "
                + "docs/access.md), or turn access control off for development (argus.security.enabled=false)"));
        try {
            ApiKeys.read(file);
        } catch (UncheckedIOException e) {
            throw refusal(e.getMessage() + " (" + KEYS_FILE + "): " + why(e.getCause()));
        } catch (IllegalArgumentException e) {
            throw refusal(KEYS_FILE + ": " + e.getMessage());
        }
    }

    private static String why(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "there is no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "this user may not read it";
        }
        return e.toString();
    }

    private static ConfigurationException refusal(String reason) {
        return new ConfigurationException("Argus cannot start: " + reason, Set.of(KEYS_FILE));
    }
}
