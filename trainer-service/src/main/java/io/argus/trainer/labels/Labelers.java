package io.argus.trainer.labels;

import jakarta.enterprise.context.ApplicationScoped;

import io.argus.common.security.ApiKeyAuthentication;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who gives a label: the API key (what an attacker cannot choose) and the person the client names
 * in {@code X-Labeler} within it. Rate limits apply to both: a key cannot exceed its allowance by
 * changing the header.
 */
@ApplicationScoped
public class Labelers {

    /**
     * @param key  the API key's name ({@code anonymous} when access control is off)
     * @param name what the label records: the key's name, then {@code /} and the person when named
     */
    public record Labeler(String key, String name) {
    }

    private final SecurityIdentity identity;

    public Labelers(SecurityIdentity identity) {
        this.identity = identity;
    }

    public Labeler who(String claimed) {
        String key = identity.getPrincipal().getName();
        String person = claimed == null || claimed.isBlank() ? null : claimed.strip();
        if (key.equals(ApiKeyAuthentication.ANONYMOUS)) {
            return new Labeler(key, person == null ? ApiKeyAuthentication.ANONYMOUS : person);
        }
        return new Labeler(key, person == null ? key : key + "/" + person);
    }
}
