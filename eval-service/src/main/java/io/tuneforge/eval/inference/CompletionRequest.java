package io.tuneforge.eval.inference;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.tuning.chat.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields of an OpenAI chat-completions or completions request that this endpoint acts on; others are ignored
 * as OpenAI-compatible servers do, except those that would change the answer's meaning and are not supported
 * ({@code n} other than 1, {@code logprobs}, {@code echo}, {@code suffix}, tools), which are refused by name.
 *
 * @param messages chat: the conversation; null for completions
 * @param prompt completions: the raw text; null for chat
 * @param maxTokens {@code max_completion_tokens} / {@code max_tokens}, or null for the service default
 * @param temperature 0 = greedy; OpenAI's default 1
 * @param seed null = a fresh random seed
 */
public record CompletionRequest(String model, List<Message> messages, String prompt, Integer maxTokens,
                                double temperature, double topP, Long seed, List<String> stop, boolean stream,
                                boolean includeUsage) {

    /** Reads {@code POST /v1/chat/completions}. */
    public static CompletionRequest chat(JsonNode body) {
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw OpenAiException.invalid("messages", "messages must be a non-empty array of {\"role\", \"content\"}");
        }
        refuse(body, "tools", "function calling is not supported");
        refuse(body, "functions", "function calling is not supported");
        List<Message> turns = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = m.path("role").asText("");
            if (role.equals("developer")) {
                role = "system";
            }
            if (!List.of("system", "user", "assistant").contains(role)) {
                throw OpenAiException.invalid("messages[" + i + "].role", "role must be system, developer, user or"
                        + " assistant, got '" + m.path("role").asText("") + "'");
            }
            turns.add(new Message(role, content(m.get("content"), "messages[" + i + "].content")));
        }
        Integer max = integer(body, "max_completion_tokens");
        return common(body, turns, null, max != null ? max : integer(body, "max_tokens"));
    }

    /** Reads {@code POST /v1/completions}. */
    public static CompletionRequest completion(JsonNode body) {
        JsonNode prompt = body.get("prompt");
        String text;
        if (prompt != null && prompt.isTextual()) {
            text = prompt.asText();
        } else if (prompt != null && prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual()) {
            text = prompt.get(0).asText();
        } else {
            throw OpenAiException.invalid("prompt", "prompt must be a string (or an array of exactly one string)");
        }
        if (body.path("echo").asBoolean(false)) {
            throw OpenAiException.invalid("echo", "echo is not supported");
        }
        refuse(body, "suffix", "suffix (insertion) is not supported");
        if (body.has("best_of") && body.get("best_of").asInt(1) != 1) {
            throw OpenAiException.invalid("best_of", "best_of must be 1");
        }
        return common(body, null, text, integer(body, "max_tokens"));
    }

    private static CompletionRequest common(JsonNode body, List<Message> messages, String prompt, Integer maxTokens) {
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw OpenAiException.invalid("model", "you must provide a model parameter");
        }
        if (body.has("n") && !body.get("n").isNull() && body.get("n").asInt(-1) != 1) {
            throw OpenAiException.invalid("n", "only n = 1 is supported, got " + body.get("n"));
        }
        JsonNode logprobs = body.get("logprobs");
        if (logprobs != null && !logprobs.isNull() && !(logprobs.isBoolean() && !logprobs.asBoolean())) {
            throw OpenAiException.invalid("logprobs", "logprobs are not supported");
        }
        if (maxTokens != null && maxTokens < 1) {
            throw OpenAiException.invalid("max_tokens", "max_tokens must be at least 1, got " + maxTokens);
        }
        double temperature = number(body, "temperature", 1.0);
        if (!(temperature >= 0 && temperature <= 2)) {
            throw OpenAiException.invalid("temperature", "temperature must be between 0 and 2, got " + temperature);
        }
        double topP = number(body, "top_p", 1.0);
        if (!(topP > 0 && topP <= 1)) {
            throw OpenAiException.invalid("top_p", "top_p must be in (0, 1], got " + topP);
        }
        JsonNode seed = body.get("seed");
        Long seedValue = seed == null || seed.isNull() ? null : seed.asLong();
        List<String> stop = stops(body.get("stop"));
        boolean stream = body.path("stream").asBoolean(false);
        boolean usage = body.path("stream_options").path("include_usage").asBoolean(false);
        return new CompletionRequest(model.asText(), messages, prompt, maxTokens, temperature, topP, seedValue, stop,
                stream, usage);
    }

    private static List<String> stops(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (stop.isTextual()) {
            out.add(stop.asText());
        } else if (stop.isArray() && stop.size() <= 4) {
            stop.forEach(s -> out.add(s.asText()));
        } else {
            throw OpenAiException.invalid("stop", "stop must be a string or an array of up to 4 strings");
        }
        if (out.stream().anyMatch(String::isEmpty)) {
            throw OpenAiException.invalid("stop", "stop sequences must not be empty");
        }
        return out;
    }

    private static String content(JsonNode content, String where) {
        if (content != null && content.isTextual()) {
            return content.asText();
        }
        if (content != null && content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw OpenAiException.invalid(where, "only text content parts {\"type\": \"text\", \"text\": ...}"
                            + " are supported, got " + part);
                }
                text.append(part.get("text").asText());
            }
            return text.toString();
        }
        if (content == null || content.isNull()) {
            return "";
        }
        throw OpenAiException.invalid(where, "content must be a string or an array of text parts");
    }

    private static Integer integer(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw OpenAiException.invalid(field, field + " must be an integer, got " + n);
        }
        return n.asInt();
    }

    private static double number(JsonNode body, String field, double fallback) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isNumber()) {
            throw OpenAiException.invalid(field, field + " must be a number, got " + n);
        }
        return n.asDouble();
    }

    private static void refuse(JsonNode body, String field, String why) {
        JsonNode n = body.get(field);
        if (n != null && !n.isNull() && !(n.isArray() && n.isEmpty())) {
            throw OpenAiException.invalid(field, why);
        }
    }
}
