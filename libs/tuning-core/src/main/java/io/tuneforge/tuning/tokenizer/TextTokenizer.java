package io.tuneforge.tuning.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Hugging Face {@code tokenizer.json} tokenizer (through DJL's binding of the Rust
 * {@code tokenizers} library), with the model's {@link TokenizerConfig} and checked
 * {@link SpecialTokens}.
 *
 * <p>It never truncates or pads (callers batch themselves), and {@link #encode(String)} adds no
 * special tokens: chat templates write BOS and the turn markers into the text, and the added
 * special tokens in that text are matched as single ids.
 */
public final class TextTokenizer implements AutoCloseable {

    public static final String FILE_NAME = "tokenizer.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Long> addedTokens;
    private final Map<Long, String> addedById;
    private final Set<Long> specialIds;
    private final TokenizerConfig config;
    private final SpecialTokens specialTokens;

    private TextTokenizer(Path directory, HuggingFaceTokenizer tokenizer, Map<String, Long> addedTokens,
            Set<Long> specialIds, TokenizerConfig config) throws IOException {
        this.directory = directory;
        this.tokenizer = tokenizer;
        this.addedTokens = Collections.unmodifiableMap(addedTokens);
        Map<Long, String> byId = new HashMap<>();
        addedTokens.forEach((token, id) -> byId.put(id, token));
        this.addedById = byId;
        this.specialIds = Set.copyOf(specialIds);
        this.config = config;
        this.specialTokens = SpecialTokens.resolve(this, config, directory);
    }

    /**
     * Loads {@code tokenizer.json}, {@code tokenizer_config.json} and the EOS ids of
     * {@code generation_config.json} / {@code config.json} from a model directory, offline.
     *
     * @param modelDir a Hugging Face model directory (or its {@code tokenizer.json})
     * @throws IOException when the files cannot be read
     * @throws IllegalStateException when the special tokens do not check out (see {@link SpecialTokens})
     */
    public static TextTokenizer load(Path modelDir) throws IOException {
        Path dir = Files.isDirectory(modelDir) ? modelDir : modelDir.toAbsolutePath().getParent();
        Path file = Files.isDirectory(modelDir) ? modelDir.resolve(FILE_NAME) : modelDir;
        if (!Files.isRegularFile(file)) {
            throw new IOException("No " + FILE_NAME + " at " + file + "; expected a Hugging Face model directory");
        }
        byte[] json = Files.readAllBytes(file);
        Map<String, Long> added = new LinkedHashMap<>();
        Set<Long> special = new HashSet<>();
        readAddedTokens(JSON.readTree(json), file, added, special);

        Map<String, String> options = new HashMap<>();
        options.put("addSpecialTokens", "false");
        options.put("truncation", "false");
        options.put("padding", "false");
        HuggingFaceTokenizer hf;
        try {
            hf = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), options);
        } catch (RuntimeException e) {
            throw new IOException("Cannot load " + file + " with Hugging Face tokenizers: " + e.getMessage(), e);
        }
        try {
            return new TextTokenizer(dir, hf, added, special, TokenizerConfig.read(dir));
        } catch (IOException | RuntimeException e) {
            hf.close();
            throw e;
        }
    }

    /** Token ids of {@code text}, without BOS/EOS added by the tokenizer's post-processor. */
    public long[] encode(String text) {
        return encode(text, false);
    }

    /** Token ids of {@code text}; {@code addSpecialTokens} runs tokenizer.json's post-processor (e.g. adds BOS). */
    public long[] encode(String text, boolean addSpecialTokens) {
        return tokenizer.encode(text, addSpecialTokens, false).getIds();
    }

    /** Text of {@code ids}; {@code skipSpecial} drops special tokens (e.g. {@code <|im_end|>}). */
    public String decode(long[] ids, boolean skipSpecial) {
        return tokenizer.decode(ids, skipSpecial);
    }

    /**
     * The id of a token given as text, checked: it must encode to exactly one id.
     *
     * @throws IllegalArgumentException naming the token and its encoding otherwise
     */
    public long tokenToId(String token) {
        long[] ids = encode(token, false);
        Long added = addedTokens.get(token);
        if (ids.length != 1 || (added != null && added != ids[0])) {
            throw new IllegalArgumentException("'" + token + "' is not a single token of " + directory
                    + ": it encodes to " + Arrays.toString(ids)
                    + (added != null ? " although tokenizer.json lists it as added token " + added : ""));
        }
        return ids[0];
    }

    /**
     * The text of one token id: an added token's content, else its decoded text; empty when the
     * id is not a token of this tokenizer.
     */
    public Optional<String> idToToken(long id) {
        String added = addedById.get(id);
        if (added != null) {
            return Optional.of(added);
        }
        if (id < 0) {
            return Optional.empty();
        }
        String text = decode(new long[] {id}, false);
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** Whether {@code id} is a special added token (skipped by {@code decode(ids, true)}). */
    public boolean isSpecial(long id) {
        return specialIds.contains(id);
    }

    /** Added tokens of tokenizer.json (special or not): content → id. */
    public Map<String, Long> addedTokens() {
        return addedTokens;
    }

    public TokenizerConfig config() {
        return config;
    }

    public SpecialTokens specialTokens() {
        return specialTokens;
    }

    /** The model directory the files were read from. */
    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    private static void readAddedTokens(JsonNode root, Path file, Map<String, Long> added, Set<Long> special) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + " must hold a JSON object (a Hugging Face tokenizer.json)");
        }
        JsonNode tokens = root.path("added_tokens");
        for (JsonNode token : tokens) {
            JsonNode id = token.get("id");
            JsonNode content = token.get("content");
            if (id == null || !id.isIntegralNumber() || content == null || !content.isTextual()) {
                throw new IllegalArgumentException(file + ": added_tokens entries need an integer \"id\" and a "
                        + "string \"content\", got " + token);
            }
            added.put(content.asText(), id.asLong());
            if (token.path("special").asBoolean(false)) {
                special.add(id.asLong());
            }
        }
    }
}
