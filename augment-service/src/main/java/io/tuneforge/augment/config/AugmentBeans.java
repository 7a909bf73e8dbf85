package io.tuneforge.augment.config;

import io.tuneforge.augment.job.AugmentationEngine;
import io.tuneforge.augment.llm.Completions;
import io.tuneforge.augment.llm.LlmGateway;
import io.tuneforge.augment.llm.OpenAiChat;
import io.tuneforge.augment.llm.ResponseCache;
import io.tuneforge.storage.ArtifactStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;

/** Wires the LLM client, its guard and cache, and the job engine from {@link AugmentConfig}. */
@ApplicationScoped
public class AugmentBeans {

    private static final Logger LOG = Logger.getLogger(AugmentBeans.class);

    /** The breaker's name in logs and {@code CircuitBreakerMaintenance}. */
    public static final String BREAKER = "augment-llm";

    /** A JDK HTTP client for the LLM API: HTTP/1.1 (every OpenAI-compatible server speaks it), its own pool. */
    public static HttpClient httpClient(AugmentConfig config) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.llm().connectTimeout())
                .build();
    }

    @Produces
    @Singleton
    Completions completions(AugmentConfig config, ArtifactStore store) {
        AugmentConfig.Llm llm = config.llm();
        LOG.infof("LLM API %s, model %s, key %s", llm.baseUrl(), llm.model(),
                llm.apiKey().filter(k -> !k.isBlank()).isPresent() ? "set" : "not set");
        OpenAiChat chat = new OpenAiChat(llm.baseUrl(), llm.apiKey(), llm.timeout(), httpClient(config),
                Clock.systemUTC());
        return new LlmGateway(chat, new ResponseCache(store, config.jobs().cacheEnabled(), Clock.systemUTC()),
                LlmGateway.Policy.from(config.reliability()), BREAKER);
    }

    @Produces
    @Singleton
    AugmentationEngine engine(ArtifactStore store, Completions completions, AugmentConfig config) {
        return new AugmentationEngine(store, completions, config,
                Path.of(System.getProperty("java.io.tmpdir"), "tuneforge-augment"), Clock.systemUTC());
    }
}
