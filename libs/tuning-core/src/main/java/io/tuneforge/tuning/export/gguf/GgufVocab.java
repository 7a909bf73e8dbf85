package io.tuneforge.tuning.export.gguf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tuneforge.tuning.tokenizer.SpecialTokens;
import io.tuneforge.tuning.tokenizer.TextTokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Tokenizer metadata for llama.cpp from a Hugging Face {@code tokenizer.json}, as
 * {@code convert_hf_to_gguf.py} writes it for byte-level BPE tokenizers.
 *
 * <ul>
 *   <li>{@code tokenizer.ggml.model = "gpt2"}; {@code tokens} in id order, padded up to the model's
 *       vocab_size with {@code [PAD<id>]} of type UNUSED (llama.cpp sizes the embedding by the token list).</li>
 *   <li>{@code token_type}: 1 normal, 3 control (added tokens marked special), 4 user-defined (other added
 *       tokens), 5 unused — llama.cpp's {@code llama_token_type}.</li>
 *   <li>{@code merges} as {@code "a b"} strings (tokenizer.json holds strings or pairs).</li>
 *   <li>{@code pre}: chosen by the pre-tokenizer: plain ByteLevel with its GPT-2 regex → {@code gpt-2};
 *       the Llama 3 split regex → {@code llama-bpe}; the Qwen2 one (digits one by one) → {@code qwen2};
 *       Digits(individual) + ByteLevel (SmolLM) → {@code smollm}; anything else → {@code default} with a warning,
 *       because llama.cpp would then split text differently from Hugging Face (ids given directly are unaffected).</li>
 *   <li>BOS/EOS/PAD/UNK ids, {@code add_bos_token}, {@code chat_template}.</li>
 * </ul>
 * SentencePiece-style tokenizers (Llama 2: BPE with byte_fallback and a Metaspace pre-tokenizer) are
 * refused: llama.cpp wants them as {@code llama} with scores from the {@code tokenizer.model} file, which
 * this project does not read.
 */
final class GgufVocab {

    static final int NORMAL = 1;
    static final int CONTROL = 3;
    static final int USER_DEFINED = 4;
    static final int UNUSED = 5;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LLAMA3_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|"
            + "\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String QWEN2_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|"
            + "\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private GgufVocab() {
    }

    /**
     * Adds the {@code tokenizer.*} metadata of the model in {@code dir} to {@code writer}.
     *
     * @param vocabSize rows of the model's embedding (the token list is padded to it)
     * @param warnings receives what llama.cpp will do differently from Hugging Face
     */
    static void addTo(GgufWriter writer, Path dir, int vocabSize, List<String> warnings) throws IOException {
        Path file = dir.resolve(TextTokenizer.FILE_NAME);
        JsonNode root = JSON.readTree(Files.readAllBytes(file));
        JsonNode model = root.path("model");
        if (!"BPE".equals(model.path("type").asText()) || model.path("byte_fallback").asBoolean(false)
                || !usesByteLevel(root.path("pre_tokenizer"))) {
            throw new IllegalArgumentException(file + ": model.type '" + model.path("type").asText()
                    + "' with pre_tokenizer " + root.path("pre_tokenizer").path("type").asText("null")
                    + " is not a byte-level BPE tokenizer; GGUF export supports byte-level BPE (GPT-2, Llama 3, "
                    + "Qwen2, SmolLM style) only — SentencePiece tokenizers need tokenizer.model, which is not read");
        }
        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            String[] tokens = new String[vocabSize];
            Integer[] types = new Integer[vocabSize];
            for (Iterator<Map.Entry<String, JsonNode>> it = model.path("vocab").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                put(tokens, types, e.getValue().asInt(), e.getKey(), NORMAL, file);
            }
            for (Map.Entry<String, Long> e : tokenizer.addedTokens().entrySet()) {
                int id = Math.toIntExact(e.getValue());
                put(tokens, types, id, e.getKey(), tokenizer.isSpecial(id) ? CONTROL : USER_DEFINED, file);
            }
            for (int i = 0; i < vocabSize; i++) {
                if (tokens[i] == null) {
                    tokens[i] = "[PAD" + i + "]";
                    types[i] = UNUSED;
                }
            }
            List<String> merges = new ArrayList<>();
            for (JsonNode m : model.path("merges")) {
                merges.add(m.isArray() ? m.get(0).asText() + " " + m.get(1).asText() : m.asText());
            }
            writer.put("tokenizer.ggml.model", GgufValue.string("gpt2"));
            writer.put("tokenizer.ggml.pre", GgufValue.string(preTokenizer(root.path("pre_tokenizer"), file, warnings)));
            writer.put("tokenizer.ggml.tokens", GgufValue.array(GgufValueType.STRING, Arrays.asList(tokens)));
            writer.put("tokenizer.ggml.token_type", GgufValue.array(GgufValueType.INT32,
                    Arrays.stream(types).map(Integer::longValue).toList()));
            writer.put("tokenizer.ggml.merges", GgufValue.array(GgufValueType.STRING, merges));
            SpecialTokens special = tokenizer.specialTokens();
            if (special.bosId() != null) {
                writer.put("tokenizer.ggml.bos_token_id", GgufValue.uint32(special.bosId()));
            }
            long eos = special.eosId() != null ? special.eosId() : special.eosIds().iterator().next();
            writer.put("tokenizer.ggml.eos_token_id", GgufValue.uint32(eos));
            if (special.padId() != null) {
                writer.put("tokenizer.ggml.padding_token_id", GgufValue.uint32(special.padId()));
            }
            String unk = tokenizer.config().unkToken();
            if (unk != null && tokenizer.addedTokens().containsKey(unk)) {
                writer.put("tokenizer.ggml.unknown_token_id", GgufValue.uint32(tokenizer.addedTokens().get(unk)));
            }
            writer.put("tokenizer.ggml.add_bos_token", GgufValue.bool(addBosToken(dir, special)));
            writer.put("tokenizer.ggml.add_eos_token", GgufValue.bool(false));
            String template = tokenizer.config().chatTemplate();
            if (template != null) {
                writer.put("tokenizer.chat_template", GgufValue.string(template));
            }
        }
    }

    private static void put(String[] tokens, Integer[] types, int id, String text, int type, Path file) {
        if (id < 0 || id >= tokens.length) {
            throw new IllegalArgumentException(file + ": token '" + text + "' has id " + id
                    + ", outside the model's vocab_size " + tokens.length
                    + "; config.json's vocab_size must cover every token id");
        }
        tokens[id] = text;
        types[id] = type;
    }

    /** {@code add_bos_token} from tokenizer_config.json; absent → true when a BOS exists (Llama's default). */
    private static boolean addBosToken(Path dir, SpecialTokens special) throws IOException {
        Path config = dir.resolve("tokenizer_config.json");
        if (Files.isRegularFile(config)) {
            JsonNode flag = JSON.readTree(config.toFile()).get("add_bos_token");
            if (flag != null && flag.isBoolean()) {
                return flag.asBoolean();
            }
        }
        return special.bosId() != null;
    }

    private static boolean usesByteLevel(JsonNode pre) {
        if ("ByteLevel".equals(pre.path("type").asText())) {
            return true;
        }
        for (JsonNode p : pre.path("pretokenizers")) {
            if ("ByteLevel".equals(p.path("type").asText())) {
                return true;
            }
        }
        return false;
    }

    /** The llama.cpp pre-tokenizer name for a tokenizer.json {@code pre_tokenizer} (see the class comment). */
    static String preTokenizer(JsonNode pre, Path file, List<String> warnings) {
        if ("ByteLevel".equals(pre.path("type").asText()) && pre.path("use_regex").asBoolean(true)) {
            return "gpt-2";
        }
        List<String> types = new ArrayList<>();
        String regex = null;
        for (JsonNode p : pre.path("pretokenizers")) {
            types.add(p.path("type").asText());
            if ("Split".equals(p.path("type").asText())) {
                regex = p.path("pattern").path("Regex").asText(null);
            }
            if ("Digits".equals(p.path("type").asText()) && !p.path("individual_digits").asBoolean(false)) {
                types.set(types.size() - 1, "Digits(grouped)");
            }
        }
        if (LLAMA3_REGEX.equals(regex)) {
            return "llama-bpe";
        }
        if (QWEN2_REGEX.equals(regex)) {
            return "qwen2";
        }
        if (types.equals(List.of("Digits", "ByteLevel"))) {
            return "smollm";
        }
        warnings.add(file + ": pre_tokenizer " + types + (regex != null ? " with regex " + regex : "")
                + " is not one llama.cpp knows by name; wrote tokenizer.ggml.pre = default, so llama.cpp may split"
                + " text into different tokens than Hugging Face does (token ids passed directly are unaffected)");
        return "default";
    }
}
