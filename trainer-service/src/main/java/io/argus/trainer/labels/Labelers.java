package io.argus.trainer.labels;

import jakarta.enterprise.context.ApplicationScoped;

import io.argus.common.security.ApiKeyAuthentication;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who gives a label: the API key's name (what an attacker cannot choose), followed by the person
 * the client names in {@code X-Labeler}; the header alone when access control is off.
 */
@ApplicationScoped
public class Labelers {

    private final SecurityIdentity identity;

    public Labelers(SecurityIdentity identity) {
        this.identity = identity;
    }

    public String who(String claimed) {
        String key = identity.getPrincipal().getName();
        if (key.equals(ApiKeyAuthentication.ANONYMOUS)) {
            return claimed;
        }
        return claimed == null || claimed.isBlank() ? key : key + "/" + claimed.trim();
    }
}
