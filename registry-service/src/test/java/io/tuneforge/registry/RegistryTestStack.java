package io.tuneforge.registry;

import io.tuneforge.localstack.quarkus.LocalStackResource;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The registry's test stack: real Kafka, S3 and PostgreSQL ({@link LocalStackResource}), plus access settings made
 * fresh for each test run, so no secret is written in the source tree: a bootstrap admin token, and an RSA key pair
 * whose public half OIDC verifies bearer JWTs with (no OIDC server). Tests read the token and the private key from the
 * system properties set here (test classes may be loaded apart from this resource).
 */
public class RegistryTestStack extends LocalStackResource {

    public static final String ADMIN_TOKEN_PROPERTY = "tuneforge.test.registry.admin-token";
    public static final String OIDC_KEY_PROPERTY = "tuneforge.test.registry.oidc-private-key";
    /** The issuer the OIDC tests sign with and the registry checks. */
    public static final String OIDC_ISSUER = "https://idp.test/tuneforge";

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new LinkedHashMap<>(super.start());
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String adminToken = "test-admin-" + HexFormat.of().formatHex(secret);
        KeyPair keys = rsaKeyPair();
        System.setProperty(ADMIN_TOKEN_PROPERTY, adminToken);
        System.setProperty(OIDC_KEY_PROPERTY, Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded()));
        config.put("tuneforge.registry.auth.admin-token", adminToken);
        config.put("quarkus.oidc.tenant-enabled", "true");
        config.put("quarkus.oidc.public-key", Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()));
        config.put("quarkus.oidc.token.issuer", OIDC_ISSUER);
        config.put("quarkus.oidc.roles.role-claim-path", "groups");
        return config;
    }

    @Override
    public void stop() {
        System.clearProperty(ADMIN_TOKEN_PROPERTY);
        System.clearProperty(OIDC_KEY_PROPERTY);
        super.stop();
    }

    /** The bootstrap admin token of the running stack. */
    public static String adminToken() {
        return required(ADMIN_TOKEN_PROPERTY);
    }

    /** The private key OIDC test tokens are signed with. */
    public static PrivateKey oidcSigningKey() {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                    Base64.getDecoder().decode(required(OIDC_KEY_PROPERTY))));
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("Cannot read the OIDC test key: " + e.getMessage(), e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set: is the test class annotated"
                    + " with @WithTestResource(value = RegistryTestStack.class, scope = GLOBAL)?");
        }
        return value;
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is missing from this JVM", e);
        }
    }
}
