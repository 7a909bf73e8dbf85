package io.tuneforge.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.cli.TuneForgeCli;
import io.tuneforge.contracts.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tuneforge demo}: the README's first command, end to end on the bundled sample. */
class DemoCommandTest {

    @TempDir
    Path tmp;

    @Test
    void fineTunesTheTinyModelAndTheTunedModelBeatsTheBase() throws Exception {
        Path work = tmp.resolve("demo");
        assertEquals(0, TuneForgeCli.run("demo", "--local", "--workdir", work.toString()));

        JsonNode manifest = Json.mapper().readTree(work.resolve("data/manifest.json").toFile());
        assertEquals(24, manifest.at("/counts/input").asInt(), manifest.toString());
        assertTrue(Files.isRegularFile(work.resolve("run/adapter/adapter_model.safetensors")));
        JsonNode metrics = Json.mapper().readTree(work.resolve("eval/report.json").toFile()).get("metrics");
        assertTrue(metrics.at("/rougeL/tuned").asDouble() > metrics.at("/rougeL/base").asDouble() + 50,
                metrics.toString());
    }
}
