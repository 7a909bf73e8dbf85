package io.tuneforge.cli.client;

import io.tuneforge.cli.platform.PlatformEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PlatformSettingsTest {

    @TempDir
    Path dir;

    @Test
    void optionBeatsEnvironmentBeatsPlatformEnvBeatsDefault() {
        Path file = dir.resolve("platform.env");
        new PlatformEnv(Map.of(PlatformSettings.REGISTRY_URL, "http://127.0.0.1:9185",
                PlatformSettings.DATA_URL, "http://127.0.0.1:9181",
                PlatformEnv.REGISTRY_TOKEN, "tfadmin_file")).write(file);
        var settings = new PlatformSettings(Map.of(PlatformSettings.DATA_URL, "http://env:1"), file);

        assertEquals(new PlatformSettings.Setting(PlatformSettings.REGISTRY_URL, "http://opt:2",
                PlatformSettings.Source.OPTION), settings.resolve(PlatformSettings.REGISTRY_URL, "http://opt:2"));
        assertEquals("http://127.0.0.1:9185", settings.serviceUrl(PlatformSettings.REGISTRY_URL, null));
        assertEquals(PlatformSettings.Source.PLATFORM_ENV,
                settings.resolve(PlatformSettings.REGISTRY_URL, " ").source());
        assertEquals("http://env:1", settings.serviceUrl(PlatformSettings.DATA_URL, null));
        assertEquals("http://127.0.0.1:8084", settings.serviceUrl(PlatformSettings.EVAL_URL, null));
        assertEquals(PlatformSettings.Source.DEFAULT, settings.resolve(PlatformSettings.EVAL_URL, null).source());
        assertEquals("tfadmin_file", settings.registryToken(null).orElseThrow());
        assertTrue(settings.hasPlatformEnv());
    }

    @Test
    void secretsAreNeverDescribedAndMissingOnesSayWhereTheyWereLookedFor() {
        Path file = dir.resolve("absent.env");
        var settings = new PlatformSettings(Map.of(PlatformEnv.S3_SECRET_KEY, "s3cr3t"), file);
        assertFalse(settings.hasPlatformEnv());
        String described = settings.describe(settings.resolve(PlatformEnv.S3_SECRET_KEY, null));
        assertFalse(described.contains("s3cr3t"), described);
        assertTrue(described.contains("from environment"), described);
        assertTrue(settings.registryToken(null).isEmpty());

        var e = assertThrows(IllegalStateException.class, settings::storage);
        assertTrue(e.getMessage().contains(PlatformEnv.S3_ENDPOINT) && e.getMessage().contains("./tuneforge up"),
                e.getMessage());
        assertEquals("us-east-1", settings.resolve(PlatformEnv.S3_REGION, null).value());
        assertEquals("127.0.0.1:9092", settings.resolve(PlatformEnv.KAFKA_BOOTSTRAP, null).value());
    }
}
