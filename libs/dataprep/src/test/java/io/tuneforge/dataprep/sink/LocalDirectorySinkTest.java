package io.tuneforge.dataprep.sink;

import io.tuneforge.dataprep.PipelineRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LocalDirectorySinkTest {

    @TempDir
    Path tmp;

    @Test
    void nothingIsVisibleBeforeCommit() throws Exception {
        Path dir = tmp.resolve("v1");
        LocalDirectorySink sink = new LocalDirectorySink(dir);
        try (OutputStream out = sink.create("train.jsonl")) {
            out.write("{}\n".getBytes(StandardCharsets.UTF_8));
        }
        try (OutputStream out = sink.create("manifest.json")) {
            out.write("{}".getBytes(StandardCharsets.UTF_8));
        }
        List<String> before = PipelineRuns.listing(dir);
        assertEquals(1, before.size());
        assertEquals(true, before.get(0).startsWith(".tuneforge-staging-"), before.toString());
        sink.commit();
        assertEquals(List.of("manifest.json", "train.jsonl"), PipelineRuns.listing(dir));
    }

    @Test
    void abortLeavesTheDirectoryAsItWas() throws Exception {
        Path dir = tmp.resolve("v1");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("train.jsonl"), "old\n");
        LocalDirectorySink sink = new LocalDirectorySink(dir);
        try (OutputStream out = sink.create("train.jsonl")) {
            out.write("new\n".getBytes(StandardCharsets.UTF_8));
        }
        sink.abort();
        assertEquals(List.of("train.jsonl"), PipelineRuns.listing(dir));
        assertEquals("old\n", Files.readString(dir.resolve("train.jsonl")));
    }

    @Test
    void fileNamesMustBePlain() {
        LocalDirectorySink sink = new LocalDirectorySink(tmp);
        assertThrows(IllegalArgumentException.class, () -> sink.create("../escape.jsonl"));
        assertThrows(IllegalArgumentException.class, () -> sink.create(".hidden"));
    }
}
