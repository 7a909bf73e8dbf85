package io.tuneforge.augment.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.output.TokenUsage;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One attempt at a chat completion through langchain4j's {@link OpenAiChatModel} (any OpenAI-compatible
 * {@code /chat/completions}): model, temperature and max tokens go per request, so one model instance serves every
 * job. langchain4j's own retries are off ({@code maxRetries(0)}): {@link LlmGateway} retries with Retry-After,
 * backoff and a circuit breaker. Every failure becomes an {@link LlmCallException} of one {@link FailureKind}.
 */
public final class OpenAiChat {

    private static final int BODY_EXCERPT = 300;

    private final OpenAiChatModel model;
    private final String endpoint;

    /**
     * @param apiKey sent as {@code Authorization: Bearer ...} when present (local servers need none); never logged
     */
    public OpenAiChat(String baseUrl, Optional<String> apiKey, Duration timeout, java.net.http.HttpClient http,
            Clock clock) {
        this.endpoint = withoutCredentials(baseUrl);
        this.model = OpenAiChatModel.builder()
                .baseUrl(baseUrl)
                .apiKey(apiKey.filter(k -> !k.isBlank()).orElse(null))
                .timeout(timeout)
                .maxRetries(0)
                .logRequests(false)
                .logResponses(false)
                .httpClientBuilder(new ApiHttpClientBuilder(http, clock))
                .build();
    }

    /** The base URL without user info or query (where some put keys), for messages and manifests. */
    public String endpoint() {
        return endpoint;
    }

    /**
     * One HTTP request, no retries.
     *
     * @throws LlmCallException with the kind of failure
     */
    public LlmReply complete(ChatPrompt prompt, LlmSettings settings) {
        List<ChatMessage> messages = new ArrayList<>(2);
        if (prompt.system() != null && !prompt.system().isBlank()) {
            messages.add(SystemMessage.from(prompt.system()));
        }
        messages.add(UserMessage.from(prompt.user()));
        ChatRequest request = ChatRequest.builder()
                .messages(messages)
                .parameters(OpenAiChatRequestParameters.builder()
                        .modelName(settings.model())
                        .temperature(settings.temperature())
                        .maxOutputTokens(settings.maxTokens())
                        .build())
                .build();
        ChatResponse response;
        try {
            response = model.chat(request);
        } catch (RuntimeException e) {
            throw classify(e, settings);
        }
        TokenUsage usage = response.tokenUsage();
        String text = response.aiMessage() == null || response.aiMessage().text() == null ? ""
                : response.aiMessage().text();
        return new LlmReply(text, response.finishReason() == null ? null
                : response.finishReason().name().toLowerCase(java.util.Locale.ROOT),
                usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount(),
                usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount(), false);
    }

    private LlmCallException classify(RuntimeException e, LlmSettings settings) {
        String where = "POST " + endpoint + "/chat/completions (model '" + settings.model() + "')";
        ApiHttpException http = find(e, ApiHttpException.class);
        if (http != null) {
            FailureKind kind = FailureKind.ofStatus(http.statusCode());
            String advice = switch (kind) {
                case AUTHENTICATION -> "; check tuneforge.augment.llm.api-key (TUNEFORGE_AUGMENT_LLM_API_KEY)";
                case MODEL_NOT_FOUND -> "; check the model name and tuneforge.augment.llm.base-url (it usually ends"
                        + " in /v1)";
                default -> "";
            };
            return new LlmCallException(kind, http.statusCode(), http.retryAfter().orElse(null),
                    where + " answered HTTP " + http.statusCode() + ": " + excerpt(http.getMessage()) + advice, e);
        }
        if (find(e, HttpTimeoutException.class) != null || find(e, dev.langchain4j.exception.TimeoutException.class) != null) {
            return new LlmCallException(FailureKind.TIMEOUT, where + " gave no answer within the timeout"
                    + " (tuneforge.augment.llm.timeout)", e);
        }
        if (find(e, JsonProcessingException.class) != null) {
            return new LlmCallException(FailureKind.MALFORMED_RESPONSE, where + " answered with a body that is not a"
                    + " chat completion: " + excerpt(find(e, JsonProcessingException.class).getOriginalMessage()), e);
        }
        if (e instanceof InternalServerException && e.getCause() == null) {
            return new LlmCallException(FailureKind.EMPTY_CHOICES, where + " answered without choices: "
                    + e.getMessage(), e);
        }
        if (e instanceof UnresolvedModelServerException || find(e, IOException.class) != null) {
            Throwable io = find(e, IOException.class);
            return new LlmCallException(FailureKind.CONNECTION, where + " could not be reached: "
                    + (io == null ? e.getMessage() : io.getClass().getSimpleName() + " " + io.getMessage()), e);
        }
        return new LlmCallException(FailureKind.OTHER, where + " failed: " + e.getClass().getSimpleName() + " "
                + excerpt(e.getMessage()), e);
    }

    static String withoutCredentials(String url) {
        try {
            URI u = URI.create(url);
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null).toString();
        } catch (IllegalArgumentException | URISyntaxException e) {
            throw new IllegalArgumentException("tuneforge.augment.llm.base-url is not a URL: expected e.g."
                    + " https://api.openai.com/v1 or http://127.0.0.1:8000/v1", e);
        }
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String excerpt(String s) {
        if (s == null) {
            return "(no message)";
        }
        String flat = s.replaceAll("\\s+", " ").trim();
        return flat.length() <= BODY_EXCERPT ? flat : flat.substring(0, BODY_EXCERPT) + "…";
    }
}
