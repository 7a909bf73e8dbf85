package io.tuneforge.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageSettingsTest {

    @Test
    void toStringNeverShowsTheSecretAndOnlyThePrefixOfTheAccessKey() {
        StorageSettings settings = StorageSettings.of("http://127.0.0.1:9000", "AKIDEXAMPLE", "s3cr3t-value-xyz", "tuneforge");
        assertFalse(settings.toString().contains("s3cr3t-value-xyz"), settings.toString());
        assertFalse(settings.toString().contains("AKIDEXAMPLE"), settings.toString());
        assertTrue(settings.toString().contains("accessKey=AKID***"), settings.toString());
        assertTrue(StorageSettings.of("http://127.0.0.1:9000", "short", "s", "tuneforge").toString().contains("accessKey=***"));
    }

    @Test
    void readsTheConfigKeysWithDefaults() {
        Map<String, String> config = Map.of(
                "tuneforge.storage.endpoint", "https://minio.example:9000",
                "tuneforge.storage.access-key", "ak",
                "tuneforge.storage.secret-key", "sk");
        StorageSettings settings = StorageSettings.from(config::get);
        assertEquals("us-east-1", settings.region());
        assertEquals("tuneforge", settings.bucket());
        assertEquals("https://minio.example:9000", settings.endpoint());
    }

    @Test
    void badValuesAreNamed() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> StorageSettings.from(Map.of("tuneforge.storage.endpoint", "http://127.0.0.1:9000")::get));
        assertTrue(missing.getMessage().contains("tuneforge.storage.access-key"), missing.getMessage());

        IllegalArgumentException path = assertThrows(IllegalArgumentException.class,
                () -> StorageSettings.of("http://127.0.0.1:9000/tuneforge", "a", "b", null));
        assertTrue(path.getMessage().contains("'http://127.0.0.1:9000/tuneforge'")
                && path.getMessage().contains("no path"), path.getMessage());

        IllegalArgumentException bucket = assertThrows(IllegalArgumentException.class,
                () -> StorageSettings.of("http://127.0.0.1:9000", "a", "b", "My_Bucket"));
        assertTrue(bucket.getMessage().contains("'My_Bucket'"), bucket.getMessage());
    }
}
