package io.argus.common.security;

import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * API keys as {@code Authorization: Bearer <key>} (or {@code X-Api-Key: <key>}): the key's name
 * becomes the principal, its roles the identity's roles. With {@code argus.security.enabled=false}
 * every request is the principal {@code anonymous} with every role, so the same {@code @RolesAllowed}
 * endpoints work in dev and tests.
 */
@ApplicationScoped
public class ApiKeyAuthentication implements HttpAuthenticationMechanism {

    private static final Logger LOG = Logger.getLogger(ApiKeyAuthentication.class);
    public static final String ANONYMOUS = "anonymous";

    private final boolean enabled;
    private final ApiKeys keys;

    public ApiKeyAuthentication(SecurityConfig config) {
        this.enabled = config.enabled();
        if (enabled) {
            this.keys = ApiKeys.read(config.keysFile().orElseThrow(() -> new IllegalStateException(
                    "argus.security.enabled=true but argus.security.keys-file is not set: give the service its API "
                            + "keys (name:roles:secret per line), or turn access control off for development")));
            LOG.infof("Access control on: %d API keys", keys.size());
        } else {
            this.keys = null;
            LOG.warn("Access control OFF (argus.security.enabled=false): every request may do everything");
        }
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        if (!enabled) {
            return Uni.createFrom().item(identity(ANONYMOUS, Roles.ALL));
        }
        Optional<String> presented = presented(context);
        if (presented.isEmpty()) {
            return Uni.createFrom().optional(Optional.empty());
        }
        return keys.find(presented.get())
                .map(k -> Uni.createFrom().item(identity(k.name(), k.roles())))
                .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException("unknown API key")));
    }

    private static Optional<String> presented(RoutingContext context) {
        String auth = context.request().getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(auth.substring(7).strip());
        }
        return Optional.ofNullable(context.request().getHeader("X-Api-Key")).map(String::strip);
    }

    private static SecurityIdentity identity(String name, Set<String> roles) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(name)).addRoles(roles).build();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"argus\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of();
    }
}
