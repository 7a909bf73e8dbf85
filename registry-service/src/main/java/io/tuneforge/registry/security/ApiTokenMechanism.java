package io.tuneforge.registry.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * Reads an API token from {@code Authorization: Bearer <token>}, or from the UI's sign-in cookie
 * ({@value #COOKIE}). The cookie counts only for safe methods (GET, HEAD) and for {@code /ui/} forms, which carry a
 * CSRF token; an API write from a browser needs the header, which a forged cross-site request cannot set.
 * <p>
 * Bearer values that look like JWTs (they contain '.') are left to OIDC when it is configured. Runs before the OIDC
 * mechanism ({@link #getPriority()}); a request without a token passes on unauthenticated.
 */
@ApplicationScoped
public class ApiTokenMechanism implements HttpAuthenticationMechanism {

    /** The UI's sign-in cookie: HttpOnly, SameSite=Strict, holding an API token. */
    public static final String COOKIE = "tuneforge_token";
    static final String REALM = "tuneforge-registry";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String token = token(context);
        if (token == null) {
            return Uni.createFrom().nullItem();
        }
        return identities.authenticate(new ApiTokenAuthenticationRequest(token));
    }

    static String token(RoutingContext context) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String value = header.substring(7).trim();
            return value.isEmpty() || value.contains(".") ? null : value;
        }
        Cookie cookie = context.request().getCookie(COOKIE);
        if (cookie == null || cookie.getValue().isBlank()) {
            return null;
        }
        HttpMethod method = context.request().method();
        boolean safe = method == HttpMethod.GET || method == HttpMethod.HEAD;
        return safe || context.normalizedPath().startsWith("/ui/") ? cookie.getValue() : null;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"" + REALM + "\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiTokenAuthenticationRequest.class);
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 500;
    }
}
