package io.tuneforge.augment.llm;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.augment.config.AugmentBeans;
import io.tuneforge.augment.config.AugmentConfig;
import io.tuneforge.augment.testing.LlmStub;
import io.tuneforge.augment.testing.LlmStubResource;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.storage.ArtifactStore;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.tuneforge.augment.testing.LlmStub.ok;
import static io.tuneforge.augment.testing.LlmStub.rateLimited;
import static io.tuneforge.augment.testing.LlmStub.sequence;
import static io.tuneforge.augment.testing.LlmStub.serverError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guarded client alone against the stub API: rate limits, the circuit breaker, the response cache. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.augmentation.commands,tuneforge.augmentation.commands.dlq,"
                + "tuneforge.augmentation.events,tuneforge.dataset.events")})
@WithTestResource(value = LlmStubResource.class, scope = TestResourceScope.GLOBAL)
class LlmGatewayTest {

    static final LlmSettings SETTINGS = new LlmSettings("stub-model", 0.7, 64);

    @Inject
    ArtifactStore store;

    @Inject
    AugmentConfig config;

    private final LlmStub stub = LlmStub.connect();

    @BeforeEach
    void resetStub() {
        stub.reset();
    }

    @Test
    void retryAfterMillisecondsIsWaitedAndALongerOneThanAllowedFailsAtOnce() {
        LlmGateway gateway = gateway("/v1", policy(3, 50, 5000));
        String marker = "rate-" + UUID.randomUUID();
        stub.respond(LlmStub.COMPLETIONS, sequence(rateLimited("0").withHeader("retry-after-ms", "600"),
                ok("fine")), marker);
        CallStats stats = new CallStats();
        long start = System.nanoTime();
        LlmReply reply = gateway.complete(new ChatPrompt(null, "say fine " + marker), SETTINGS, stats);
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals("fine", reply.text());
        assertTrue(waitedMs >= 600, "retry-after-ms 600 wins over Retry-After 0, but only " + waitedMs + " ms passed");
        assertEquals(1, stats.snapshot().retries());

        String hour = "hour-" + UUID.randomUUID();
        stub.respond(LlmStub.COMPLETIONS, sequence(rateLimited("3600")), hour);
        CallStats limited = new CallStats();
        LlmCallException e = assertThrows(LlmCallException.class,
                () -> gateway.complete(new ChatPrompt(null, "wait an hour " + hour), SETTINGS, limited));
        assertEquals(FailureKind.RATE_LIMITED, e.kind());
        assertEquals(Duration.ofHours(1), e.retryAfter().orElseThrow());
        assertTrue(e.kind().stopsJob());
        assertEquals(1, stub.requests(LlmStub.COMPLETIONS, hour).size(), "no retry for a Retry-After beyond the max");
        assertNull(limited.snapshot().check());
    }

    @Test
    void theBreakerOpensOnRepeatedServerErrorsStopsSendingAndClosesAfterATrialSucceeds() throws Exception {
        LlmGateway gateway = gateway("/broken/v1", policy(0, 10, 5000));
        stub.respond("/broken/v1/chat/completions", sequence(serverError()));
        CallStats stats = new CallStats();
        for (int i = 0; i < 4; i++) {
            int n = i;
            LlmCallException e = assertThrows(LlmCallException.class,
                    () -> gateway.complete(new ChatPrompt(null, "attempt " + n), SETTINGS, stats));
            assertEquals(FailureKind.SERVER_ERROR, e.kind());
        }
        assertEquals(4, stub.requests("/broken/v1/chat/completions").size());

        LlmCallException open = assertThrows(LlmCallException.class,
                () -> gateway.complete(new ChatPrompt(null, "attempt 5"), SETTINGS, stats));
        assertEquals(FailureKind.CIRCUIT_OPEN, open.kind());
        assertTrue(open.kind().stopsJob());
        assertEquals(4, stub.requests("/broken/v1/chat/completions").size(), "an open breaker sends nothing");
        CallCounts counts = stats.snapshot();
        assertEquals(1, counts.circuitOpen());
        assertEquals(4, counts.httpRequests());
        assertEquals(5, counts.failed());
        assertNull(counts.check(), counts.check());

        stub.reset();
        stub.respond("/broken/v1/chat/completions", sequence(ok("recovered")));
        Thread.sleep(450);
        assertEquals("recovered", gateway.complete(new ChatPrompt(null, "attempt 6"), SETTINGS, stats).text());
        assertEquals("recovered", gateway.complete(new ChatPrompt(null, "attempt 7"), SETTINGS, stats).text());
        assertEquals(2, stub.requests("/broken/v1/chat/completions").size());
    }

    @Test
    void answersAreCachedByModelPromptAndParameters() {
        LlmGateway gateway = gateway("/v1", policy(1, 10, 5000));
        String marker = "cache-" + UUID.randomUUID();
        stub.answer("cached answer", marker);
        CallStats stats = new CallStats();
        ChatPrompt prompt = new ChatPrompt("system words", "question " + marker);
        assertFalse(gateway.complete(prompt, SETTINGS, stats).cached());
        LlmReply second = gateway.complete(prompt, SETTINGS, stats);
        assertTrue(second.cached());
        assertEquals("cached answer", second.text());
        assertEquals(LlmStub.PROMPT_TOKENS, second.promptTokens());
        assertEquals(1, stub.requests(LlmStub.COMPLETIONS, marker).size());

        gateway.complete(prompt, new LlmSettings("stub-model", 0.2, 64), stats);
        gateway.complete(prompt, new LlmSettings("other-model", 0.7, 64), stats);
        gateway.complete(new ChatPrompt(null, "question " + marker), SETTINGS, stats);
        assertEquals(4, stub.requests(LlmStub.COMPLETIONS, marker).size(), "another temperature, model or system"
                + " turn is another request");
        CallCounts counts = stats.snapshot();
        assertEquals(5, counts.requests());
        assertEquals(1, counts.cacheHits());
        assertEquals(LlmStub.PROMPT_TOKENS, counts.cachedPromptTokens());
        assertEquals(4L * LlmStub.COMPLETION_TOKENS, counts.completionTokens());
    }

    @Test
    void anUnknownModelAndAWrongKeyStopTheJobAndSayWhatToCheck() {
        LlmGateway gateway = gateway("/v1", policy(3, 10, 5000));
        String marker = "missing-" + UUID.randomUUID();
        stub.respond(LlmStub.COMPLETIONS, sequence(aResponse().withStatus(404)
                .withBody("{\"error\":{\"message\":\"The model `nope` does not exist\"}}")), marker);
        LlmCallException e = assertThrows(LlmCallException.class,
                () -> gateway.complete(new ChatPrompt(null, marker), SETTINGS, new CallStats()));
        assertEquals(FailureKind.MODEL_NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("does not exist") && e.getMessage().contains("base-url"), e.getMessage());
        assertEquals(1, stub.requests(LlmStub.COMPLETIONS, marker).size());

        String auth = "auth-" + UUID.randomUUID();
        stub.respond(LlmStub.COMPLETIONS, sequence(aResponse().withStatus(401)
                .withBody("{\"error\":{\"message\":\"Incorrect API key provided\"}}")), auth);
        LlmCallException denied = assertThrows(LlmCallException.class,
                () -> gateway.complete(new ChatPrompt(null, auth), SETTINGS, new CallStats()));
        assertEquals(FailureKind.AUTHENTICATION, denied.kind());
        assertTrue(denied.getMessage().contains("TUNEFORGE_AUGMENT_LLM_API_KEY"), denied.getMessage());
        assertFalse(denied.getMessage().contains(LlmStub.API_KEY));
    }

    private LlmGateway gateway(String path, LlmGateway.Policy policy) {
        OpenAiChat chat = new OpenAiChat(stub.baseUrl(path), Optional.of(LlmStub.API_KEY), Duration.ofSeconds(5),
                AugmentBeans.httpClient(config), Clock.systemUTC());
        return new LlmGateway(chat, new ResponseCache(store, true, Clock.systemUTC()), policy,
                "test-" + UUID.randomUUID());
    }

    /** Breaker: opens when 4 of the last 4 attempts failed, stays open 400 ms, one trial closes it. */
    private static LlmGateway.Policy policy(int retries, long backoffMs, long maxRetryAfterMs) {
        return new LlmGateway.Policy(4, retries, Duration.ofMillis(backoffMs), Duration.ofMillis(backoffMs * 4),
                Duration.ofMillis(maxRetryAfterMs), Duration.ofSeconds(30), 4, 1.0, Duration.ofMillis(400), 1);
    }
}
