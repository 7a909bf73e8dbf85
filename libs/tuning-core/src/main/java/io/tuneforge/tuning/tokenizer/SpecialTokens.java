package io.tuneforge.tuning.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The BOS, EOS and PAD tokens of a model, each checked against the tokenizer.
 *
 * <p>Where they come from (as transformers does it):
 * <ol>
 *   <li>{@code tokenizer_config.json}: {@code bos_token}, {@code eos_token}, {@code pad_token} strings;
 *       each must encode to exactly one id (a string that splits into several tokens is not a
 *       special token of this tokenizer and would never stop generation).</li>
 *   <li>{@code generation_config.json} and {@code config.json}: {@code eos_token_id} (an int or a
 *       list of ints, e.g. Llama 3.1's {@code [128001, 128008, 128009]}) and {@code pad_token_id}.
 *       Each id must be a token of the tokenizer whose text encodes back to that id.</li>
 * </ol>
 * Generation stops on any id of {@link #eosIds()}, the union of all sources. A model with no EOS
 * at all is refused: generation could then only stop at its length limit.
 *
 * @param bosToken BOS string from tokenizer_config.json (what chat templates get as {@code bos_token}), or null
 * @param bosId its id, or null
 * @param eosToken EOS string from tokenizer_config.json, or null when only ids are configured
 * @param eosId its id, or null
 * @param eosIds every id that ends generation, in the order found (tokenizer_config, generation_config, config)
 * @param padToken PAD string, or null
 * @param padId PAD id, or null
 */
public record SpecialTokens(
        String bosToken,
        Long bosId,
        String eosToken,
        Long eosId,
        Set<Long> eosIds,
        String padToken,
        Long padId) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public SpecialTokens {
        if (eosIds == null || eosIds.isEmpty()) {
            throw new IllegalArgumentException("eosIds must name at least one token id");
        }
        eosIds = Collections.unmodifiableSet(new LinkedHashSet<>(eosIds));
    }

    /** Whether {@code id} ends generation. */
    public boolean isEos(long id) {
        return eosIds.contains(id);
    }

    /** The id to pad batches with: PAD if configured, else the first EOS id (padding is masked anyway). */
    public long padIdOrEos() {
        return padId != null ? padId : eosIds.iterator().next();
    }

    /**
     * Resolves and checks the special tokens of the model in {@code modelDir}.
     *
     * @throws IllegalStateException naming the file, field and value when a token does not map to
     *     exactly one id of {@code tokenizer}, or when no EOS is configured anywhere
     */
    static SpecialTokens resolve(TextTokenizer tokenizer, TokenizerConfig config, Path modelDir)
            throws IOException {
        String tc = config.source();
        Long bosId = config.bosToken() == null ? null : idOfToken(tokenizer, config.bosToken(), tc, "bos_token");
        Long eosId = config.eosToken() == null ? null : idOfToken(tokenizer, config.eosToken(), tc, "eos_token");
        Set<Long> eos = new LinkedHashSet<>();
        if (eosId != null) {
            eos.add(eosId);
        }
        Long padId = config.padToken() == null ? null : idOfToken(tokenizer, config.padToken(), tc, "pad_token");
        String padToken = config.padToken();
        for (String file : List.of("generation_config.json", "config.json")) {
            Path path = modelDir.resolve(file);
            if (!Files.isRegularFile(path)) {
                continue;
            }
            JsonNode root = JSON.readTree(Files.readString(path, StandardCharsets.UTF_8));
            for (long id : ids(root.get("eos_token_id"), path, "eos_token_id")) {
                checkId(tokenizer, id, path, "eos_token_id");
                eos.add(id);
            }
            long[] pads = ids(root.get("pad_token_id"), path, "pad_token_id");
            if (padId == null && pads.length == 1) {
                checkId(tokenizer, pads[0], path, "pad_token_id");
                padId = pads[0];
                padToken = tokenizer.idToToken(padId).orElse(null);
            }
        }
        if (eos.isEmpty()) {
            throw new IllegalStateException("No EOS token for the model in " + modelDir + ": set eos_token in "
                    + TokenizerConfig.FILE_NAME + " or eos_token_id in generation_config.json / config.json;"
                    + " without one generation can only stop at its length limit");
        }
        return new SpecialTokens(config.bosToken(), bosId, config.eosToken(), eosId, eos, padToken, padId);
    }

    /** A token string must encode to exactly one id, and to the id its added-token entry names. */
    static long idOfToken(TextTokenizer tokenizer, String token, String source, String field) {
        long[] ids = tokenizer.encode(token, false);
        if (ids.length != 1) {
            throw new IllegalStateException(source + ": " + field + " '" + token + "' encodes to "
                    + ids.length + " ids " + Arrays.toString(ids) + ", expected exactly one; "
                    + "it must be one of the tokenizer's added tokens (tokenizer.json added_tokens)");
        }
        Long added = tokenizer.addedTokens().get(token);
        if (added != null && added != ids[0]) {
            throw new IllegalStateException(source + ": " + field + " '" + token + "' encodes to id " + ids[0]
                    + " but tokenizer.json lists it as added token id " + added);
        }
        return ids[0];
    }

    /** An id must be a token of the tokenizer, and that token's text must encode back to the id. */
    static void checkId(TextTokenizer tokenizer, long id, Path source, String field) {
        String token = tokenizer.idToToken(id).orElseThrow(() -> new IllegalStateException(source + ": " + field
                + " " + id + " is not a token of the tokenizer (its text is empty); "
                + "expected an id of one of its special tokens " + tokenizer.addedTokens()));
        long[] back = tokenizer.encode(token, false);
        if (back.length != 1 || back[0] != id) {
            throw new IllegalStateException(source + ": " + field + " " + id + " is the token '" + token
                    + "', which encodes to " + Arrays.toString(back) + " instead of [" + id + "]; "
                    + "an end-of-sequence id must be a single special token");
        }
    }

    /** An id field: absent/null, an integer, or a list of integers. */
    private static long[] ids(JsonNode node, Path source, String field) {
        if (node == null || node.isNull()) {
            return new long[0];
        }
        List<Long> out = new ArrayList<>();
        for (JsonNode item : node.isArray() ? node : List.of(node)) {
            if (!item.isIntegralNumber() || item.asLong() < 0) {
                throw new IllegalStateException(source + ": " + field + " must be a non-negative integer or a "
                        + "list of them, got " + node);
            }
            out.add(item.asLong());
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
