package io.tuneforge.tuning.export.gguf;

import io.tuneforge.tuning.tokenizer.TextTokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Writes an Ollama {@code Modelfile} next to a GGUF file: {@code FROM ./<file>.gguf}, a {@code TEMPLATE}
 * when the model's chat template is one of the known families, and one {@code PARAMETER stop} per
 * token that ends generation.
 *
 * <p>Known templates (recognised by their markers, not by exact text): ChatML ({@code <|im_start|>}: Qwen2,
 * SmolLM2, TuneForge's tiny models) and Llama 3 ({@code <|start_header_id|>}). For any other template no
 * TEMPLATE line is written and a comment says so: Ollama then uses the GGUF's {@code tokenizer.chat_template}
 * where it recognises it, or the raw prompt. Translating arbitrary Jinja into Go templates is not attempted.
 */
public final class OllamaModelfile {

    /** File name written next to the GGUF. */
    public static final String FILE_NAME = "Modelfile";

    static final String CHATML = "{{ if .System }}<|im_start|>system\n{{ .System }}<|im_end|>\n{{ end }}"
            + "{{ if .Prompt }}<|im_start|>user\n{{ .Prompt }}<|im_end|>\n{{ end }}"
            + "<|im_start|>assistant\n{{ .Response }}<|im_end|>\n";
    static final String LLAMA3 = "{{ if .System }}<|start_header_id|>system<|end_header_id|>\n\n"
            + "{{ .System }}<|eot_id|>{{ end }}{{ if .Prompt }}<|start_header_id|>user<|end_header_id|>\n\n"
            + "{{ .Prompt }}<|eot_id|>{{ end }}<|start_header_id|>assistant<|end_header_id|>\n\n"
            + "{{ .Response }}<|eot_id|>";

    private OllamaModelfile() {
    }

    /** Writes {@value #FILE_NAME} into the GGUF's directory for the model in {@code hfModelDir}; returns its path. */
    public static Path write(Path ggufFile, Path hfModelDir) throws IOException {
        Path out = ggufFile.toAbsolutePath().resolveSibling(FILE_NAME);
        try (TextTokenizer tokenizer = TextTokenizer.load(hfModelDir)) {
            Set<String> stops = new LinkedHashSet<>();
            for (long id : tokenizer.specialTokens().eosIds()) {
                tokenizer.idToToken(id).ifPresent(stops::add);
            }
            Files.writeString(out, render(ggufFile.getFileName().toString(), tokenizer.config().chatTemplate(), stops),
                    StandardCharsets.UTF_8);
        }
        return out;
    }

    /** The Modelfile text. */
    static String render(String ggufFileName, String chatTemplate, Set<String> stops) {
        StringBuilder b = new StringBuilder("# Ollama Modelfile written by TuneForge: ollama create NAME -f Modelfile\n");
        b.append("FROM ./").append(ggufFileName).append('\n');
        String template = chatTemplate == null ? null
                : chatTemplate.contains("<|im_start|>") ? CHATML
                : chatTemplate.contains("<|start_header_id|>") ? LLAMA3 : null;
        if (template != null) {
            b.append("TEMPLATE \"\"\"").append(template).append("\"\"\"\n");
        } else {
            b.append("# No TEMPLATE: the model's chat template is ")
                    .append(chatTemplate == null ? "absent" : "not ChatML or Llama 3")
                    .append("; Ollama uses the GGUF's tokenizer.chat_template where it recognises it.\n");
        }
        for (String stop : stops) {
            b.append("PARAMETER stop \"").append(stop.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
        }
        return b.toString();
    }
}
