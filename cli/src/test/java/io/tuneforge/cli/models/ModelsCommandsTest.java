package io.tuneforge.cli.models;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.cli.client.CliRun;
import io.tuneforge.cli.platform.PlatformEnv;
import io.tuneforge.cli.platform.PlatformHome;
import io.tuneforge.localstack.S3Server;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.ObjectInfo;
import io.tuneforge.storage.StorageSettings;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * models import | list against a real S3 server (S3Proxy from tuneforge-localstack), found the way every client
 * command finds the platform: through {@code <tuneforge.home>/.tuneforge/platform.env}.
 */
class ModelsCommandsTest {

    @TempDir
    static Path home;

    static S3Server s3;
    static ArtifactStore store;
    static String previousHome;

    @BeforeAll
    static void startS3AndWritePlatformEnv() {
        s3 = S3Server.start();
        previousHome = System.getProperty(PlatformHome.HOME_PROPERTY);
        System.setProperty(PlatformHome.HOME_PROPERTY, home.toString());
        new PlatformEnv(Map.of(PlatformEnv.S3_ENDPOINT, s3.endpoint(), PlatformEnv.S3_ACCESS_KEY, s3.accessKey(),
                PlatformEnv.S3_SECRET_KEY, s3.secretKey(), PlatformEnv.S3_REGION, s3.region(),
                PlatformEnv.S3_BUCKET, "tuneforge")).write(PlatformHome.locate().envFile());
        store = new ArtifactStore(new StorageSettings(s3.endpoint(), s3.accessKey(), s3.secretKey(), s3.region(),
                "tuneforge"));
        store.ensureBucket();
    }

    @AfterAll
    static void stop() {
        if (previousHome == null) {
            System.clearProperty(PlatformHome.HOME_PROPERTY);
        } else {
            System.setProperty(PlatformHome.HOME_PROPERTY, previousHome);
        }
        s3.close();
    }

    @Test
    void importUploadsEveryFileWithTheMarkerLastAndReplacesAnEarlierImport() throws IOException {
        Path model = home.resolve("tiny");
        TinyModel.write(model, TinySpec.defaults());
        Files.writeString(model.resolve("README.md"), "stale after the second import");
        assertEquals(0, CliRun.of("models", "import", model.toString(), "--name", "tiny-a").code());
        assertTrue(store.exists("models/tiny-a/README.md"));

        Files.delete(model.resolve("README.md"));
        CliRun run = CliRun.of("models", "import", model.toString(), "--name", "tiny-a");
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().contains("imported tiny-a (LlamaForCausalLM") && run.out().contains(
                "s3://tuneforge/models/tiny-a/"), run.out());
        assertTrue(run.err().contains("uploaded "), run.err());

        List<String> keys = store.list("models/tiny-a/", true).stream().map(ObjectInfo::key).sorted().toList();
        assertFalse(keys.contains("models/tiny-a/README.md"), "an earlier import's extra file is removed: " + keys);
        assertTrue(keys.contains("models/tiny-a/model.safetensors") && keys.contains("models/tiny-a/config.json")
                && keys.contains("models/tiny-a/tokenizer.json"), keys.toString());
        JsonNode manifest = store.getJson("models/tiny-a/manifest.json", JsonNode.class);
        assertEquals(keys.size() - 1, manifest.path("files").size(), manifest.toString());
        for (JsonNode f : manifest.path("files")) {
            assertEquals(Files.size(model.resolve(f.path("path").asText())), f.path("sizeBytes").asLong());
            assertEquals(64, f.path("sha256").asText().length());
        }

        store.put("models/half/config.json", model.resolve("config.json"));
        CliRun list = CliRun.of("models", "list");
        assertEquals(0, list.code(), list.toString());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("tiny-a") && l.contains("LlamaForCausalLM")),
                list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("half") && l.contains("incomplete")), list.out());
    }

    @Test
    void aDirectoryThatIsNotALlamaModelIsRefusedBeforeAnyUpload() throws IOException {
        Path model = home.resolve("no-tokenizer");
        TinyModel.write(model, TinySpec.defaults());
        Files.delete(model.resolve("tokenizer.json"));
        CliRun run = CliRun.of("models", "import", model.toString(), "--name", "broken");
        assertEquals(1, run.code());
        assertTrue(run.err().contains("has no tokenizer (one of [tokenizer.json, tokenizer.model])"), run.err());

        Path gpt = home.resolve("gpt");
        Files.createDirectories(gpt);
        Files.writeString(gpt.resolve("config.json"), "{\"architectures\": [\"GPT2LMHeadModel\"]}");
        CliRun other = CliRun.of("models", "import", gpt.toString(), "--name", "gpt");
        assertEquals(1, other.code());
        assertTrue(other.err().contains("is not a Llama-family config"), other.err());
        assertTrue(store.list("models/broken/", true).isEmpty() && store.list("models/gpt/", true).isEmpty());
    }
}
