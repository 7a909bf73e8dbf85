package io.tuneforge.contracts.training;

import java.util.List;

/**
 * Artifacts published next to the adapter when the run completes.
 *
 * @param merge write the base model with the adapter merged, Hugging Face layout
 * @param gguf  GGUF tensor type for llama.cpp / Ollama ({@code f32}, {@code f16}, {@code q8_0}); null = no GGUF
 */
public record ExportSettings(Boolean merge, String gguf) {

    /** GGUF tensor types the exporter writes. */
    public static final List<String> GGUF_TYPES = List.of("f32", "f16", "q8_0");

    public static ExportSettings none() {
        return new ExportSettings(false, null);
    }

    /** This record with {@code merge} false when absent; an absent {@code gguf} stays absent (no GGUF). */
    public ExportSettings withDefaults() {
        return new ExportSettings(merge != null ? merge : false, gguf);
    }
}
