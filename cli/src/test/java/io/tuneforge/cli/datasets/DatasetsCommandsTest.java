package io.tuneforge.cli.datasets;

import io.tuneforge.cli.client.CliRun;
import io.tuneforge.cli.client.RecordedRegistry;
import io.tuneforge.cli.client.RecordedRegistry.Answer;
import io.tuneforge.cli.platform.PlatformEnv;
import io.tuneforge.cli.platform.PlatformHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** datasets commands find data-service through platform.env and print its problem+json as title: detail. */
class DatasetsCommandsTest {

    @TempDir
    Path home;

    @Test
    void theAddressComesFromPlatformEnvAndRefusalsReadAsTitleDetailField() throws IOException {
        String previous = System.getProperty(PlatformHome.HOME_PROPERTY);
        try (RecordedRegistry data = new RecordedRegistry(null)) {
            System.setProperty(PlatformHome.HOME_PROPERTY, home.toString());
            new PlatformEnv(Map.of(PlatformEnv.S3_BUCKET, "tuneforge", "TUNEFORGE_DATA_URL", data.url()))
                    .write(PlatformHome.locate().envFile());
            data.on("GET /api/datasets", x -> Answer.json(200, "[{\"datasetId\":\"support\",\"latestVersion\":2,"
                    + "\"versions\":2,\"format\":\"instruction\",\"counts\":{\"train\":80,\"eval\":20,\"rejected\":1}}]"))
                    .on("POST /api/datasets/empty", x -> Answer.json(400, "{\"type\":\"about:blank\",\"title\":"
                            + "\"Empty input\",\"status\":400,\"detail\":\"The upload has no records\",\"code\":"
                            + "\"EMPTY_INPUT\",\"errors\":[{\"path\":\"line 1\",\"reason\":\"blank\"}]}"));
            CliRun list = CliRun.of("datasets", "list");
            assertEquals(0, list.code(), list.toString());
            assertTrue(list.out().contains("support") && list.out().contains("v2"), list.out());

            Path file = home.resolve("empty.jsonl");
            Files.writeString(file, "\n");
            CliRun upload = CliRun.of("datasets", "upload", file.toString(), "--name", "empty");
            assertEquals(1, upload.code(), upload.toString());
            assertTrue(upload.err().contains("Empty input: The upload has no records (line 1: blank)"), upload.err());
        } finally {
            if (previous == null) {
                System.clearProperty(PlatformHome.HOME_PROPERTY);
            } else {
                System.setProperty(PlatformHome.HOME_PROPERTY, previous);
            }
        }
    }
}
