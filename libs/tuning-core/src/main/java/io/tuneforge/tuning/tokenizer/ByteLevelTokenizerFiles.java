package io.tuneforge.tuning.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tuneforge.tuning.chat.ChatTemplates;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a byte-level BPE tokenizer in Hugging Face layout, for models the project makes itself.
 *
 * <p>The vocabulary is the 256 bytes (id = byte value), each spelled with GPT-2's byte-to-unicode
 * alphabet, and no merges: every UTF-8 byte of the text becomes one token, so any text (Chinese,
 * emoji, control characters) round-trips. The special tokens follow as {@code added_tokens} with
 * ids 256, 257, … and {@code special = true}. Pre-tokenizer and decoder are {@code ByteLevel},
 * exactly as GPT-2, Llama 3 and Qwen2 use them, so Hugging Face {@code tokenizers} (Rust, Python
 * and DJL's binding) load the files unchanged.
 *
 * <p>Files: {@code tokenizer.json} and {@code tokenizer_config.json} (chat template, BOS none,
 * EOS and PAD tokens).
 */
public final class ByteLevelTokenizerFiles {

    /** The special tokens of the tiny model, ids 256, 257, 258. */
    public static final List<String> CHATML_SPECIAL_TOKENS =
            List.of(ChatTemplates.END_OF_TEXT, ChatTemplates.IM_START, ChatTemplates.IM_END);

    /** Number of byte tokens; the first special token gets this id. */
    public static final int BYTE_TOKENS = 256;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ByteLevelTokenizerFiles() {
    }

    /**
     * Writes the tokenizer with EOS {@code <|im_end|>} and PAD {@code <|endoftext|>}, both of
     * which must be among {@code specialTokens}.
     */
    public static void write(Path dir, List<String> specialTokens, String chatTemplate) throws IOException {
        write(dir, specialTokens, chatTemplate, ChatTemplates.IM_END, ChatTemplates.END_OF_TEXT);
    }

    /**
     * Writes {@code tokenizer.json} and {@code tokenizer_config.json} into {@code dir} (created if
     * missing).
     *
     * @param specialTokens special tokens in id order, starting at id 256
     * @param chatTemplate Jinja chat template, or null for none
     * @param eosToken one of {@code specialTokens}
     * @param padToken one of {@code specialTokens}, or null
     */
    public static void write(Path dir, List<String> specialTokens, String chatTemplate,
            String eosToken, String padToken) throws IOException {
        checkSpecialTokens(specialTokens);
        requireMember("eosToken", Objects.requireNonNull(eosToken, "eosToken"), specialTokens);
        if (padToken != null) {
            requireMember("padToken", padToken, specialTokens);
        }
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve("tokenizer.json").toFile(), tokenizerJson(specialTokens));
        JSON.writeValue(dir.resolve("tokenizer_config.json").toFile(),
                tokenizerConfigJson(specialTokens, chatTemplate, eosToken, padToken));
    }

    /** Id of a special token of a tokenizer written with {@code specialTokens}. */
    public static long specialTokenId(List<String> specialTokens, String token) {
        int index = specialTokens.indexOf(token);
        if (index < 0) {
            throw new IllegalArgumentException("'" + token + "' is not one of the special tokens " + specialTokens);
        }
        return BYTE_TOKENS + index;
    }

    /**
     * GPT-2's byte-to-unicode table: printable Latin-1 bytes stand for themselves, the other 68
     * bytes (controls, space, soft hyphen, …) are shifted to U+0100.. in byte order. It keeps
     * every token a visible, whitespace-free string.
     */
    public static String[] byteToUnicode() {
        String[] table = new String[BYTE_TOKENS];
        int shifted = 0;
        for (int b = 0; b < BYTE_TOKENS; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = new String(Character.toChars(printable ? b : BYTE_TOKENS + shifted++));
        }
        return table;
    }

    private static Map<String, Object> tokenizerJson(List<String> specialTokens) {
        List<Object> added = new ArrayList<>();
        for (int i = 0; i < specialTokens.size(); i++) {
            added.add(addedToken(BYTE_TOKENS + i, specialTokens.get(i)));
        }
        Map<String, Object> vocab = new LinkedHashMap<>();
        String[] alphabet = byteToUnicode();
        for (int b = 0; b < BYTE_TOKENS; b++) {
            vocab.put(alphabet[b], b);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", null);
        model.put("continuing_subword_prefix", null);
        model.put("end_of_word_suffix", null);
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        model.put("vocab", vocab);
        model.put("merges", List.of());

        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", "1.0");
        root.put("truncation", null);
        root.put("padding", null);
        root.put("added_tokens", added);
        root.put("normalizer", null);
        root.put("pre_tokenizer", byteLevel(true));
        root.put("post_processor", byteLevel(false));
        root.put("decoder", byteLevel(false));
        root.put("model", model);
        return root;
    }

    private static Map<String, Object> byteLevel(boolean trimOffsets) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "ByteLevel");
        m.put("add_prefix_space", false);
        m.put("trim_offsets", trimOffsets);
        m.put("use_regex", true);
        return m;
    }

    private static Map<String, Object> addedToken(long id, String content) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("content", content);
        m.put("single_word", false);
        m.put("lstrip", false);
        m.put("rstrip", false);
        m.put("normalized", false);
        m.put("special", true);
        return m;
    }

    private static Map<String, Object> tokenizerConfigJson(List<String> specialTokens, String chatTemplate,
            String eosToken, String padToken) {
        Map<String, Object> decoder = new LinkedHashMap<>();
        for (int i = 0; i < specialTokens.size(); i++) {
            Map<String, Object> token = addedToken(BYTE_TOKENS + i, specialTokens.get(i));
            token.remove("id");
            decoder.put(Integer.toString(BYTE_TOKENS + i), token);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("add_bos_token", false);
        m.put("add_eos_token", false);
        m.put("added_tokens_decoder", decoder);
        m.put("additional_special_tokens", specialTokens);
        m.put("bos_token", null);
        if (chatTemplate != null) {
            m.put("chat_template", chatTemplate);
        }
        m.put("clean_up_tokenization_spaces", false);
        m.put("eos_token", eosToken);
        m.put("errors", "replace");
        m.put("pad_token", padToken);
        m.put("split_special_tokens", false);
        m.put("tokenizer_class", "PreTrainedTokenizerFast");
        m.put("unk_token", null);
        return m;
    }

    private static void checkSpecialTokens(List<String> specialTokens) {
        Objects.requireNonNull(specialTokens, "specialTokens");
        Set<String> seen = new HashSet<>();
        for (String token : specialTokens) {
            if (token == null || token.isEmpty()) {
                throw new IllegalArgumentException("special tokens must be non-empty strings, got " + specialTokens);
            }
            if (!seen.add(token)) {
                throw new IllegalArgumentException("special token '" + token + "' is listed twice in " + specialTokens);
            }
        }
    }

    private static void requireMember(String field, String token, List<String> specialTokens) {
        if (!specialTokens.contains(token)) {
            throw new IllegalArgumentException(field + " '" + token + "' must be one of the special tokens "
                    + specialTokens + " so that it encodes to a single id");
        }
    }
}
