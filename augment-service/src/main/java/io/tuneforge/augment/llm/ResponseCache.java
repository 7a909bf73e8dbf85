package io.tuneforge.augment.llm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.NoSuchObjectException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Completions kept in the object store, {@code augment-cache/{sha256}.json}, keyed by the SHA-256 of the canonical
 * JSON of (model, temperature, max tokens, messages): a job that is restarted, resent or run again with the same
 * prompts and parameters reads the answers it already paid for instead of asking again. Shared by every job and
 * replica (the store is the only state). Entries are written once and never change; a read checks that the entry is
 * for the same request (a hash collision, or a hand-edited entry, is a miss).
 */
public final class ResponseCache {

    public static final String PREFIX = "augment-cache/";

    private final ArtifactStore store;
    private final boolean enabled;
    private final Clock clock;

    public ResponseCache(ArtifactStore store, boolean enabled, Clock clock) {
        this.store = store;
        this.enabled = enabled;
        this.clock = clock;
    }

    /**
     * A cached completion.
     *
     * @param key the SHA-256 of {@link #request}, also the object name
     */
    public record Entry(int schemaVersion, String key, ObjectNode request, String text, String finishReason,
                        long promptTokens, long completionTokens, Instant createdAt) {
    }

    /** The canonical request: {"model", "temperature", "maxTokens", "messages": [{"role", "content"}]}. */
    public static ObjectNode request(LlmSettings settings, ChatPrompt prompt) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("model", settings.model());
        o.put("temperature", settings.temperature());
        o.put("maxTokens", settings.maxTokens());
        ArrayNode messages = o.putArray("messages");
        if (prompt.system() != null && !prompt.system().isBlank()) {
            messages.addObject().put("role", "system").put("content", prompt.system());
        }
        messages.addObject().put("role", "user").put("content", prompt.user());
        return o;
    }

    /** Lower-case hex SHA-256 of the canonical request's compact JSON. */
    public static String key(ObjectNode request) {
        try {
            byte[] json = Json.mapper().writeValueAsString(request).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot hash a completion request: " + e.getMessage(), e);
        }
    }

    public static String objectKey(String key) {
        return PREFIX + key + ".json";
    }

    public boolean enabled() {
        return enabled;
    }

    /** The cached reply (marked {@link LlmReply#cached()}), or empty. Store failures propagate. */
    public Optional<LlmReply> get(String key, ObjectNode request) {
        if (!enabled) {
            return Optional.empty();
        }
        Entry e;
        try {
            e = store.getJson(objectKey(key), Entry.class);
        } catch (NoSuchObjectException missing) {
            return Optional.empty();
        }
        if (e == null || e.request() == null || !key(e.request()).equals(key) || e.text() == null) {
            return Optional.empty();
        }
        return Optional.of(new LlmReply(e.text(), e.finishReason(), e.promptTokens(), e.completionTokens(), true));
    }

    public void put(String key, ObjectNode request, LlmReply reply) {
        if (enabled) {
            store.putJson(objectKey(key), new Entry(1, key, request, reply.text(), reply.finishReason(),
                    reply.promptTokens(), reply.completionTokens(), clock.instant()));
        }
    }
}
