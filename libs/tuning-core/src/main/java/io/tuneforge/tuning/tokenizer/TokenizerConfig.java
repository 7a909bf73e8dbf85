package io.tuneforge.tuning.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What we use of a Hugging Face {@code tokenizer_config.json}: the special token strings and the
 * chat template(s).
 *
 * <p>Token fields are either strings or {@code AddedToken} objects ({@code {"content": "</s>", ...}});
 * both read as the string. {@code chat_template} is either a string or a list of
 * {@code {"name", "template"}} entries (the one named {@code default} becomes {@link #chatTemplate()});
 * when the config has none, a {@code chat_template.jinja} file beside it is used, as newer
 * transformers versions save it there.
 *
 * @param bosToken BOS token string, or null
 * @param eosToken EOS token string, or null
 * @param padToken PAD token string, or null
 * @param unkToken UNK token string, or null
 * @param chatTemplate default chat template (Jinja source), or null
 * @param namedChatTemplates further templates by name (e.g. {@code tool_use}), possibly empty
 * @param modelMaxLength {@code model_max_length}, or null when absent or a "no limit" placeholder
 * @param source the file these values came from, for error messages
 */
public record TokenizerConfig(
        String bosToken,
        String eosToken,
        String padToken,
        String unkToken,
        String chatTemplate,
        Map<String, String> namedChatTemplates,
        Long modelMaxLength,
        String source) {

    public static final String FILE_NAME = "tokenizer_config.json";
    public static final String CHAT_TEMPLATE_FILE_NAME = "chat_template.jinja";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** transformers writes 1e30 ("VERY_LARGE_INTEGER") when a tokenizer has no length limit. */
    private static final double NO_LIMIT = 1e18;

    public TokenizerConfig {
        namedChatTemplates = Map.copyOf(namedChatTemplates);
    }

    /** Reads {@code tokenizer_config.json} from a model directory; an absent file gives an empty config. */
    public static TokenizerConfig read(Path modelDir) throws IOException {
        Path file = modelDir.resolve(FILE_NAME);
        TokenizerConfig config = Files.isRegularFile(file)
                ? fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString())
                : new TokenizerConfig(null, null, null, null, null, Map.of(), null, file + " (absent)");
        Path jinja = modelDir.resolve(CHAT_TEMPLATE_FILE_NAME);
        if (config.chatTemplate == null && Files.isRegularFile(jinja)) {
            return new TokenizerConfig(config.bosToken, config.eosToken, config.padToken, config.unkToken,
                    Files.readString(jinja, StandardCharsets.UTF_8), config.namedChatTemplates,
                    config.modelMaxLength, config.source + " + " + jinja);
        }
        return config;
    }

    /** Parses the JSON text of a {@code tokenizer_config.json}; {@code source} names it in errors. */
    public static TokenizerConfig fromJson(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + " must hold a JSON object, got " + root);
        }
        String chatTemplate = null;
        Map<String, String> named = new LinkedHashMap<>();
        JsonNode template = root.get("chat_template");
        if (template != null && template.isTextual()) {
            chatTemplate = template.asText();
        } else if (template != null && template.isArray()) {
            for (JsonNode entry : template) {
                JsonNode name = entry.get("name");
                JsonNode text = entry.get("template");
                if (name == null || !name.isTextual() || text == null || !text.isTextual()) {
                    throw new IllegalArgumentException(source + ": chat_template list entries must be "
                            + "{\"name\": string, \"template\": string}, got " + entry);
                }
                named.put(name.asText(), text.asText());
            }
            chatTemplate = named.remove("default");
        } else if (template != null && !template.isNull()) {
            throw new IllegalArgumentException(source + ": chat_template must be a string or a list of "
                    + "{name, template} objects, got " + template.getNodeType());
        }
        return new TokenizerConfig(
                token(root, "bos_token", source),
                token(root, "eos_token", source),
                token(root, "pad_token", source),
                token(root, "unk_token", source),
                chatTemplate,
                named,
                maxLength(root.get("model_max_length")),
                source);
    }

    /** A token field: a string, an {@code AddedToken} object with {@code content}, or null. */
    private static String token(JsonNode root, String field, String source) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isObject() && node.path("content").isTextual()) {
            return node.get("content").asText();
        }
        throw new IllegalArgumentException(source + ": " + field + " must be a string or an object with a "
                + "\"content\" string, got " + node);
    }

    private static Long maxLength(JsonNode node) {
        if (node == null || !node.isNumber() || node.asDouble() >= NO_LIMIT) {
            return null;
        }
        return node.asLong();
    }
}
