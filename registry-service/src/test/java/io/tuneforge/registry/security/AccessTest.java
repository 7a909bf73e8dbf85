package io.tuneforge.registry.security;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.registry.RegistryStack;
import io.tuneforge.registry.RegistryTestStack;
import io.tuneforge.registry.TestAccess;
import io.tuneforge.registry.persistence.ApiTokenRepository;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may do what: anonymous callers read (anonymous-role=reader), API tokens by role, OIDC JWTs verified against the
 * test key pair, revoked tokens refused; tokens are stored hashed; the sign-in cookie does not authorise API writes.
 */
@QuarkusTest
@WithTestResource(value = RegistryTestStack.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "topics", value = RegistryStack.TOPICS))
class AccessTest {

    /** A write that needs a writer: a tag on a model that does not exist (404 once authorised). */
    private static final String WRITE = "/api/models/no-such-model/tags/stage";

    @Inject
    EntityManager em;

    @Inject
    ApiTokenRepository tokens;

    @Test
    void anonymousCallersReadButCannotWrite() {
        given().get("/api/runs").then().statusCode(200);
        given().contentType("application/json").body(Map.of("value", "x")).put(WRITE)
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("detail", containsString("Authorization: Bearer"));
    }

    @Test
    void readerTokensReadAndWriterTokensWrite() {
        given().header("Authorization", TestAccess.bearer(Roles.READER)).get("/api/models").then().statusCode(200);
        given().header("Authorization", TestAccess.bearer(Roles.READER))
                .contentType("application/json").body(Map.of("value", "x")).put(WRITE)
                .then().statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("writer or admin"));
        given().header("Authorization", TestAccess.bearer(Roles.WRITER))
                .contentType("application/json").body(Map.of("value", "x")).put(WRITE)
                .then().statusCode(404)
                .body("detail", containsString("'no-such-model'"));
    }

    @Test
    void onlyAdminsManageTokensAndTheTokenIsShownOnceAndStoredHashed() {
        given().header("Authorization", TestAccess.bearer(Roles.WRITER)).get("/api/tokens").then().statusCode(403);

        var created = given().header("Authorization", "Bearer " + TestAccess.admin())
                .contentType("application/json").body(Map.of("name", "ci-pipeline", "role", "writer"))
                .post("/api/tokens")
                .then().statusCode(201)
                .body("token", startsWith(ApiTokens.PREFIX))
                .extract();
        String token = created.path("token");
        long id = ((Number) created.path("id")).longValue();

        given().header("Authorization", "Bearer " + TestAccess.admin()).get("/api/tokens")
                .then().statusCode(200)
                .body("find { it.id == " + id + " }.hint", startsWith(token.substring(0, 8)))
                .body("find { it.id == " + id + " }.token", nullValue())
                .body("token", everyItem(nullValue()));

        // Only the SHA-256 is in the database; the token appears in no column of any row.
        List<?> hashes = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select token_hash from api_token where id = ?1").setParameter(1, id).getResultList());
        assertEquals(List.of(ApiTokens.sha256(token)), hashes);
        Number leaks = QuarkusTransaction.requiringNew().call(() -> (Number) em.createNativeQuery(
                "select count(*) from api_token t where position(?1 in row(t.*)::text) > 0")
                .setParameter(1, token.substring(ApiTokens.PREFIX.length())).getSingleResult());
        assertEquals(0, leaks.intValue(), "the token itself is stored somewhere in api_token");

        given().header("Authorization", "Bearer " + TestAccess.admin()).delete("/api/tokens/" + id)
                .then().statusCode(204);
        given().header("Authorization", "Bearer " + token).get("/api/runs")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .body("detail", containsString("revoked"));
        assertTrue(QuarkusTransaction.requiringNew().call(() -> tokens.activeByHash(ApiTokens.sha256(token))).isEmpty());
    }

    @Test
    void badTokenRequestsAreProblemsNamingTheField() {
        given().header("Authorization", "Bearer " + TestAccess.admin())
                .contentType("application/json").body(Map.of("name", "x", "role", "owner"))
                .post("/api/tokens")
                .then().statusCode(400)
                .body("detail", equalTo("Role 'owner' is not one of reader, writer, admin"));
        given().header("Authorization", "Bearer tfr_not-a-real-token").get("/api/runs").then().statusCode(401);
    }

    @Test
    void oidcJwtsAreVerifiedAgainstTheConfiguredKeyAndTheirGroupsAreRoles() {
        String writer = TestAccess.jwt("alice", Set.of(Roles.WRITER));
        given().header("Authorization", "Bearer " + writer)
                .contentType("application/json").body(Map.of("value", "x")).put(WRITE)
                .then().statusCode(404);
        String reader = TestAccess.jwt("bob", Set.of(Roles.READER));
        given().header("Authorization", "Bearer " + reader)
                .contentType("application/json").body(Map.of("value", "x")).put(WRITE)
                .then().statusCode(403);
        // Signed by someone else: refused, not treated as anonymous.
        String forged = io.smallrye.jwt.build.Jwt.issuer(RegistryTestStack.OIDC_ISSUER).subject("mallory")
                .groups(Set.of(Roles.ADMIN)).sign(otherKey());
        given().header("Authorization", "Bearer " + forged).get("/api/tokens").then().statusCode(401);
    }

    @Test
    void theSignInCookieDoesNotAuthoriseApiWrites() {
        String writer = TestAccess.token(Roles.WRITER);
        // Reads with the cookie work (the UI's scripts fetch with it)...
        given().cookie(ApiTokenMechanism.COOKIE, writer).get("/api/tokens").then().statusCode(403);
        // ...but an API write needs the header, which a cross-site form cannot send.
        given().cookie(ApiTokenMechanism.COOKIE, writer)
                .contentType("application/json").body(Map.of("value", "x")).put(WRITE)
                .then().statusCode(401);
    }

    @Test
    void uiFormsNeedTheirCsrfToken() {
        String writer = TestAccess.token(Roles.WRITER);
        var page = given().cookie(ApiTokenMechanism.COOKIE, writer).get("/ui/submit").then().statusCode(200).extract();
        String csrfCookie = page.cookie("tuneforge_csrf");
        java.util.regex.Matcher field = java.util.regex.Pattern
                .compile("name=\"csrf-token\" value=\"([^\"]+)\"").matcher(page.asString());
        assertTrue(field.find(), "the form carries a csrf-token field");

        // Without the token the form post is refused before it does anything, with a page that says why...
        given().cookie(ApiTokenMechanism.COOKIE, writer).cookie("tuneforge_csrf", csrfCookie).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded").formParam("alias", "champion")
                .formParam("version", "1")
                .post("/ui/models/no-such-model/aliases")
                .then().statusCode(400)
                .contentType(containsString("text/html"))
                .body(containsString("data-status=\"400\""))
                .body(containsString("Form expired or not sent from this site"))
                .body(containsString("reload the page and send the form again"));
        // ...as does one forged elsewhere, with a token of its own that matches no cookie of this browser.
        given().cookie(ApiTokenMechanism.COOKIE, writer).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded").formParam("reason", "forged")
                .formParam("csrf-token", field.group(1))
                .post("/ui/runs/no-such-run/cancel")
                .then().statusCode(400)
                .contentType(containsString("text/html"))
                .body(containsString("was missing or did not match"));
        // ...with it, it is handled (and the unknown model is reported back on the page).
        given().cookie(ApiTokenMechanism.COOKIE, writer).cookie("tuneforge_csrf", csrfCookie).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded").formParam("alias", "champion")
                .formParam("version", "1").formParam("csrf-token", field.group(1))
                .post("/ui/models/no-such-model/aliases")
                .then().statusCode(303)
                .header("Location", containsString("error="));
    }

    @Test
    void pagesCarryNoSecrets() {
        String writer = TestAccess.token(Roles.WRITER);
        for (String page : List.of("/ui/models", "/ui/runs", "/ui/submit", "/ui/login")) {
            String html = given().cookie(ApiTokenMechanism.COOKIE, writer).get(page)
                    .then().statusCode(200).extract().asString();
            assertFalse(html.contains(writer), page + " shows the sign-in token");
            assertFalse(html.contains(TestAccess.admin()), page + " shows the admin token");
            assertFalse(html.contains(io.tuneforge.localstack.quarkus.LocalStackResource.current().s3SecretKey()),
                    page + " shows the object store's secret key");
        }
        given().cookie(ApiTokenMechanism.COOKIE, writer).get("/ui/models")
                .then().body(containsString("token:test-writer"))
                .body(not(containsString("tfr_")));
        given().get("/ui/models").then().statusCode(200).body(containsString("Sign in"));
    }

    private static java.security.PrivateKey otherKey() {
        try {
            var generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair().getPrivate();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
