package io.tuneforge.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.cli.TuneForgeCli;
import io.tuneforge.contracts.Json;
import io.tuneforge.tuning.export.gguf.GgufConverter;
import io.tuneforge.tuning.export.gguf.GgufSummary;
import io.tuneforge.tuning.export.gguf.GgufType;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tuneforge model inspect} on a GGUF of the tiny model: text and JSON agree with what was written. */
class InspectCommandTest {

    @TempDir
    static Path tmp;
    static GgufSummary summary;

    @BeforeAll
    static void gguf() throws Exception {
        Path model = tmp.resolve("tiny");
        TinyModel.write(model, TinySpec.defaults());
        summary = GgufConverter.convert(model, GgufType.Q8_0, tmp.resolve("tiny-q8_0.gguf"));
    }

    @Test
    void jsonListsMetadataTensorsAndTotals() throws Exception {
        Path out = tmp.resolve("inspect.json");
        assertEquals(0, TuneForgeCli.run("model", "inspect", summary.file().toString(), "--json", "--output",
                out.toString()));
        JsonNode j = Json.mapper().readTree(out.toFile());
        assertEquals(3, j.get("version").asInt());
        assertEquals(summary.fileBytes(), j.get("fileBytes").asLong());
        assertEquals(summary.tensorCount(), j.get("tensorCount").asInt());
        assertEquals(summary.parameterCount(), j.get("parameterCount").asLong());
        assertEquals("llama", j.at("/metadata/general.architecture/value").asText());
        assertEquals(320, j.at("/metadata/tokenizer.ggml.tokens/count").asInt());
        assertEquals(InspectCommand.ARRAY_PREVIEW, j.at("/metadata/tokenizer.ggml.tokens/first").size());
        JsonNode first = j.get("tensors").get(0);
        assertEquals("token_embd.weight", first.get("name").asText());
        assertEquals("q8_0", first.get("type").asText());
        assertEquals("[320,64]", first.get("shape").toString());
        assertEquals(320 * 64 / 32 * 34, first.get("bytes").asLong());
    }

    @Test
    void textShowsHeaderArraysSummarisedAndTheTensorTable() throws Exception {
        Path out = tmp.resolve("inspect.txt");
        assertEquals(0, TuneForgeCli.run("model", "inspect", summary.file().toString(), "--output", out.toString()));
        String text = Files.readString(out);
        assertTrue(text.startsWith("GGUF v3  "), text);
        assertTrue(text.contains("  tokenizer.ggml.tokens = [string × 320] \"Ā\", \"ā\", "), text);
        assertTrue(text.contains("  llama.attention.layer_norm_rms_epsilon = 1.0E-5  (float32)"), text);
        assertTrue(text.contains("  general.file_type = 7  (uint32)"), text);
        assertTrue(text.matches("(?s).*\\n  blk\\.0\\.ffn_down\\.weight +f16 +\\[64, 176] +22528\\n.*"), text);
        assertTrue(text.contains("total: " + summary.tensorCount() + " tensors"), text);
    }

    @Test
    void aFileThatIsNotGgufIsRefusedNamingTheMagic() throws Exception {
        Path notGguf = tmp.resolve("config.json");
        Files.writeString(notGguf, "{\"hello\": 1}");
        assertNotEquals(0, TuneForgeCli.run("model", "inspect", notGguf.toString()));
    }
}
