package io.tuneforge.augment.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.tuneforge.contracts.Json;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * Programs the stub API: answers (or a sequence of faults, then an answer) for the chat completions whose request
 * body contains given strings — an operation's prompt words and the record's text — and reads back what it was asked.
 * Every answer reports {@value #PROMPT_TOKENS} prompt and {@value #COMPLETION_TOKENS} completion tokens.
 */
public final class LlmStub {

    /** Not a secret: the stub checks it is sent, and tests check it is written nowhere. */
    public static final String API_KEY = "sk-test-0000-not-a-real-key-4711";
    public static final int PROMPT_TOKENS = 11;
    public static final int COMPLETION_TOKENS = 7;
    public static final String COMPLETIONS = "/v1/chat/completions";

    private final WireMock admin;
    private final int port;

    private LlmStub(WireMock admin, int port) {
        this.admin = admin;
        this.port = port;
    }

    public static LlmStub connect() {
        int port = Integer.parseInt(System.getProperty(LlmStubResource.PORT_PROPERTY));
        return new LlmStub(new WireMock("127.0.0.1", port), port);
    }

    /** {@code http://127.0.0.1:<port><path>}, e.g. {@code baseUrl("/v1")}. */
    public String baseUrl(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public void reset() {
        admin.resetMappings();
        admin.resetRequests();
        admin.resetScenarios();
    }

    /** Completions whose body contains every one of {@code contained} get {@code answer}. */
    public void answer(String answer, String... contained) {
        respond(COMPLETIONS, List.of(ok(answer)), contained);
    }

    /**
     * Completions whose body contains every one of {@code contained} get {@code responses} in turn; the last one
     * stays.
     */
    public void respond(String path, List<ResponseDefinitionBuilder> responses, String... contained) {
        String scenario = "s-" + UUID.randomUUID();
        for (int i = 0; i < responses.size(); i++) {
            MappingBuilder m = post(urlEqualTo(path));
            for (String c : contained) {
                m = m.withRequestBody(containing(c));
            }
            ScenarioMappingBuilder step = m.inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "step-" + i);
            step.willReturn(responses.get(i));
            if (i < responses.size() - 1) {
                step.willSetStateTo("step-" + (i + 1));
            }
            admin.register(step);
        }
    }

    /** Requests to {@code path} whose body contains every one of {@code contained}. */
    public List<LoggedRequest> requests(String path, String... contained) {
        var pattern = postRequestedFor(urlEqualTo(path));
        for (String c : contained) {
            pattern = pattern.withRequestBody(containing(c));
        }
        return admin.find(pattern);
    }

    /** Every chat-completion request the stub received at {@value #COMPLETIONS}. */
    public List<LoggedRequest> completions() {
        return requests(COMPLETIONS);
    }

    public static ResponseDefinitionBuilder ok(String answer) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body(answer));
    }

    /** 429 with {@code Retry-After: <seconds>}. */
    public static ResponseDefinitionBuilder rateLimited(String retryAfter) {
        return aResponse().withStatus(429).withHeader("Retry-After", retryAfter)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":\"requests\"}}");
    }

    public static ResponseDefinitionBuilder serverError() {
        return aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"The server had an error while processing your request\"}}");
    }

    public static ResponseDefinitionBuilder badRequest() {
        return aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"This model's maximum context length is 8 tokens\"}}");
    }

    /** The answer, but only after {@code millis}. */
    public static ResponseDefinitionBuilder slow(String answer, int millis) {
        return ok(answer).withFixedDelay(millis);
    }

    /** HTTP 200 whose body breaks off in the middle of the JSON. */
    public static ResponseDefinitionBuilder malformed() {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"chatcmpl-broken\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,");
    }

    /** HTTP 200 with {@code "choices": []}. */
    public static ResponseDefinitionBuilder emptyChoices() {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"chatcmpl-empty\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"stub\","
                        + "\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":0,\"total_tokens\":3}}");
    }

    /** A chat completion as OpenAI sends it. */
    public static String body(String answer) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("id", "chatcmpl-" + UUID.randomUUID());
        o.put("object", "chat.completion");
        o.put("created", 1_700_000_000L);
        o.put("model", "stub-model");
        ObjectNode choice = o.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", answer);
        choice.put("finish_reason", "stop");
        o.putObject("usage").put("prompt_tokens", PROMPT_TOKENS).put("completion_tokens", COMPLETION_TOKENS)
                .put("total_tokens", PROMPT_TOKENS + COMPLETION_TOKENS);
        return Json.write(o);
    }

    /** The user turn of a logged request. */
    public static String userTurn(LoggedRequest request) {
        try {
            var messages = Json.mapper().readTree(request.getBodyAsString()).path("messages");
            return messages.get(messages.size() - 1).path("content").asText();
        } catch (Exception e) {
            throw new IllegalStateException("not a chat completion request: " + request.getBodyAsString(), e);
        }
    }

    public static List<ResponseDefinitionBuilder> sequence(ResponseDefinitionBuilder... responses) {
        return Arrays.asList(responses);
    }
}
