package io.tuneforge.registry;

import io.smallrye.jwt.build.Jwt;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.restassured.RestAssured.given;

/** Credentials for tests: the stack's bootstrap admin token, API tokens made through the API, OIDC JWTs. */
public final class TestAccess {

    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private TestAccess() {
    }

    public static String admin() {
        return RegistryTestStack.adminToken();
    }

    /** {@code Bearer <token>} of an API token with this role, created once per test run through POST /api/tokens. */
    public static String bearer(String role) {
        return "Bearer " + token(role);
    }

    public static String token(String role) {
        return TOKENS.computeIfAbsent(role, r -> given()
                .header("Authorization", "Bearer " + admin())
                .contentType("application/json")
                .body(Map.of("name", "test-" + r, "role", r))
                .post("/api/tokens")
                .then().statusCode(201)
                .extract().path("token"));
    }

    /** A JWT the registry's OIDC configuration accepts (signed with the stack's key), with these groups. */
    public static String jwt(String subject, Set<String> groups) {
        return Jwt.issuer(RegistryTestStack.OIDC_ISSUER)
                .subject(subject)
                .upn(subject)
                .groups(groups)
                .issuedAt(Instant.now())
                .expiresIn(Duration.ofMinutes(5))
                .sign(RegistryTestStack.oidcSigningKey());
    }
}
