package io.tuneforge.augment.llm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What of the base URL may be shown in logs and manifests, and the HTTP statuses' meaning. */
class OpenAiChatTest {

    @Test
    void userInfoAndQueryAreNeverShown() {
        assertEquals("https://llm.example.com:8443/v1",
                OpenAiChat.withoutCredentials("https://user:s3cret@llm.example.com:8443/v1?api-key=abc"));
        assertEquals("http://127.0.0.1:8000/v1", OpenAiChat.withoutCredentials("http://127.0.0.1:8000/v1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpenAiChat.withoutCredentials("not a url at all"));
        assertTrue(e.getMessage().contains("tuneforge.augment.llm.base-url"), e.getMessage());
    }

    @Test
    void statusesMapToKindsThatSayWhatHappensNext() {
        assertEquals(FailureKind.RATE_LIMITED, FailureKind.ofStatus(429));
        assertEquals(FailureKind.TIMEOUT, FailureKind.ofStatus(408));
        assertEquals(FailureKind.SERVER_ERROR, FailureKind.ofStatus(503));
        assertEquals(FailureKind.AUTHENTICATION, FailureKind.ofStatus(403));
        assertEquals(FailureKind.MODEL_NOT_FOUND, FailureKind.ofStatus(404));
        assertEquals(FailureKind.CLIENT_ERROR, FailureKind.ofStatus(422));
        assertTrue(FailureKind.SERVER_ERROR.retryable() && FailureKind.SERVER_ERROR.breakerFailure()
                && !FailureKind.SERVER_ERROR.stopsJob());
        assertTrue(FailureKind.RATE_LIMITED.retryable() && !FailureKind.RATE_LIMITED.breakerFailure());
        assertTrue(!FailureKind.CLIENT_ERROR.retryable() && !FailureKind.CLIENT_ERROR.stopsJob());
    }
}
