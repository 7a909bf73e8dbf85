package io.tuneforge.augment.llm;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;

import java.time.Clock;
import java.time.Duration;

/**
 * Hands {@link ApiHttpClient}s over one shared JDK client to langchain4j's model builders. The connect timeout is the
 * shared client's own; the read timeout set here applies per request.
 */
public final class ApiHttpClientBuilder implements HttpClientBuilder {

    private final java.net.http.HttpClient shared;
    private final Clock clock;
    private Duration connectTimeout;
    private Duration readTimeout;

    public ApiHttpClientBuilder(java.net.http.HttpClient shared, Clock clock) {
        this.shared = shared;
        this.clock = clock;
        this.connectTimeout = shared.connectTimeout().orElse(null);
    }

    @Override
    public Duration connectTimeout() {
        return connectTimeout;
    }

    @Override
    public HttpClientBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = timeout;
        return this;
    }

    @Override
    public Duration readTimeout() {
        return readTimeout;
    }

    @Override
    public HttpClientBuilder readTimeout(Duration timeout) {
        this.readTimeout = timeout;
        return this;
    }

    @Override
    public HttpClient build() {
        return new ApiHttpClient(shared, readTimeout, clock);
    }
}
