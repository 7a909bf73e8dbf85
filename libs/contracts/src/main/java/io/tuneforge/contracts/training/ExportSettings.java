package io.tuneforge.contracts.training;

/**
 * Artifacts published next to the adapter when the run completes.
 *
 * @param merge write the base model with the adapter merged, Hugging Face layout
 * @param gguf  GGUF tensor type for llama.cpp / Ollama ({@code f32}, {@code f16}, {@code q8_0}); null = no GGUF
 */
public record ExportSettings(Boolean merge, String gguf) {

    public static ExportSettings none() {
        return new ExportSettings(false, null);
    }
}
