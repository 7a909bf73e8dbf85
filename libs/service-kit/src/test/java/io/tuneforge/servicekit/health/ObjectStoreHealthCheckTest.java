package io.tuneforge.servicekit.health;

import io.tuneforge.servicekit.storage.ArtifactStoreProducer;
import io.tuneforge.servicekit.storage.StorageConfig;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DOWN says why; UP against a real store is shown by every service's health test. */
class ObjectStoreHealthCheckTest {

    @Test
    void downNamesTheMissingCredentialKey() {
        ObjectStoreHealthCheck check = new ObjectStoreHealthCheck(new ArtifactStoreProducer(
                config("http://127.0.0.1:9", null, null)));

        HealthCheckResponse response = check.call();

        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
        String reason = reason(response);
        assertTrue(reason.contains("tuneforge.storage.access-key is not set"), reason);
    }

    @Test
    void downWhenNothingListensAtTheEndpointAndTheSecretIsNotShown() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        ObjectStoreHealthCheck check = new ObjectStoreHealthCheck(new ArtifactStoreProducer(
                config("http://127.0.0.1:" + port, "AKIAEXAMPLE", "very-secret-value")));

        HealthCheckResponse response = check.call();

        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
        String reason = reason(response);
        assertTrue(reason.contains("127.0.0.1:" + port), reason);
        assertFalse(response.getData().orElseThrow().toString().contains("very-secret-value"));
    }

    private static String reason(HealthCheckResponse response) {
        return String.valueOf(response.getData().orElseThrow().get("reason"));
    }

    private static StorageConfig config(String endpoint, String accessKey, String secretKey) {
        return new StorageConfig() {
            @Override
            public String endpoint() {
                return endpoint;
            }

            @Override
            public Optional<String> accessKey() {
                return Optional.ofNullable(accessKey);
            }

            @Override
            public Optional<String> secretKey() {
                return Optional.ofNullable(secretKey);
            }

            @Override
            public String region() {
                return "us-east-1";
            }

            @Override
            public String bucket() {
                return "tuneforge";
            }

            @Override
            public Health health() {
                return () -> true;
            }
        };
    }
}
