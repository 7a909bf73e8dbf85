package io.tuneforge.servicekit.storage;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mapping as Quarkus checks it at start: every key under {@code tuneforge.storage} must belong to it, so the
 * documented {@code tuneforge.storage.health.enabled=false} has to be one of its keys.
 */
class StorageConfigTest {

    @Test
    void healthEnabledFalseIsAKeyOfTheMapping() {
        StorageConfig config = mapping(Map.of("tuneforge.storage.health.enabled", "false",
                "tuneforge.storage.access-key", "AKIAEXAMPLE"));

        assertFalse(config.health().enabled());
        assertEquals("AKIAEXAMPLE", config.accessKey().orElseThrow());
    }

    @Test
    void defaultsWhenNothingIsGiven() {
        StorageConfig config = mapping(Map.of());

        assertTrue(config.health().enabled());
        assertEquals("http://127.0.0.1:9000", config.endpoint());
        assertEquals("tuneforge", config.bucket());
        assertEquals("us-east-1", config.region());
    }

    @Test
    void aMisspelledKeyStillFailsTheStart() {
        ConfigValidationException e = assertThrows(ConfigValidationException.class,
                () -> mapping(Map.of("tuneforge.storage.helth.enabled", "false")));

        assertTrue(e.getMessage().contains("tuneforge.storage.helth.enabled"), e.getMessage());
    }

    private static StorageConfig mapping(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(StorageConfig.class)
                .withValidateUnknown(true)
                .withSources(new PropertiesConfigSource(properties, "test.properties", 500))
                .build();
        return config.getConfigMapping(StorageConfig.class);
    }
}
