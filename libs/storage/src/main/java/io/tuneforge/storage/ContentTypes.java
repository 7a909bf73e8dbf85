package io.tuneforge.storage;

import java.util.Locale;
import java.util.Map;

/** Content types by file extension for the files this project stores; anything else is binary. */
public final class ContentTypes {

    public static final String OCTET_STREAM = "application/octet-stream";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("json", "application/json"),
            Map.entry("jsonl", "application/x-ndjson"),
            Map.entry("csv", "text/csv"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("md", "text/markdown; charset=utf-8"),
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("yaml", "application/yaml"),
            Map.entry("yml", "application/yaml"),
            Map.entry("safetensors", OCTET_STREAM),
            Map.entry("gguf", OCTET_STREAM),
            Map.entry("bin", OCTET_STREAM));

    private ContentTypes() {
    }

    /** E.g. {@code manifest.json} → {@code application/json}; unknown → {@value #OCTET_STREAM}. */
    public static String of(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) {
            return OCTET_STREAM;
        }
        return BY_EXTENSION.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), OCTET_STREAM);
    }
}
