package io.tuneforge.augment.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * augment-service settings, {@code tuneforge.augment.*}. A job's {@code settings} may override the model, temperature,
 * max tokens, prompt templates and gate bounds, never the endpoint or the key: those stay with the operator, so an
 * event cannot send the key to another host.
 */
@ConfigMapping(prefix = "tuneforge.augment")
public interface AugmentConfig {

    /** The OpenAI-compatible chat-completions API. */
    Llm llm();

    Reliability reliability();

    Jobs jobs();

    Gate gate();

    /**
     * Prompt templates by {@code <operation>} or {@code <operation>.<language>} (e.g. {@code paraphrase},
     * {@code "paraphrase.zh"}, {@code "backTranslate.en"}); they replace the built-in ones of the same key.
     */
    Map<String, Template> templates();

    interface Llm {

        /** e.g. https://api.openai.com/v1, http://vllm:8000/v1, http://ollama:11434/v1, http://127.0.0.1:8084/v1 (eval-service). */
        @WithDefault("https://api.openai.com/v1")
        String baseUrl();

        /** Secret: from the environment ({@code TUNEFORGE_AUGMENT_LLM_API_KEY}) or a Kubernetes Secret; never logged. */
        Optional<String> apiKey();

        @WithDefault("gpt-4o-mini")
        String model();

        @WithDefault("0.7")
        double temperature();

        /** Sent as {@code max_tokens}, which OpenAI, vLLM, Ollama and llama.cpp server all accept. */
        @WithDefault("512")
        int maxTokens();

        /** Whole request, response included; a slower answer is a {@code timeout} failure and is retried. */
        @WithDefault("60s")
        Duration timeout();

        @WithDefault("10s")
        Duration connectTimeout();
    }

    interface Reliability {

        /** LLM requests in flight at once, over all jobs of this replica (a bulkhead that queues the rest). */
        @WithDefault("4")
        int maxConcurrency();

        /** Retries of one completion after its first attempt. */
        @WithDefault("6")
        int maxRetries();

        /** First backoff; doubled per retry, with full jitter, up to {@link #maxBackoff()}. */
        @WithDefault("500ms")
        Duration initialBackoff();

        @WithDefault("30s")
        Duration maxBackoff();

        /** A 429 whose Retry-After asks for longer fails the job (resend it later) instead of holding a worker. */
        @WithDefault("120s")
        Duration maxRetryAfter();

        /** Give up on one completion after this long in retries. */
        @WithDefault("10m")
        Duration maxRetryDuration();

        CircuitBreaker circuitBreaker();

        interface CircuitBreaker {

            /** Rolling window of attempts the failure ratio is measured over. */
            @WithDefault("20")
            int requestVolume();

            @WithDefault("0.5")
            double failureRatio();

            /** How long the breaker stays open before letting trial requests through. */
            @WithDefault("15s")
            Duration delay();

            @WithDefault("2")
            int successThreshold();
        }
    }

    interface Jobs {

        /** Source records per chunk: after each chunk its results and the progress are written to the store. */
        @WithDefault("32")
        int chunkRecords();

        /** Records of one job worked on at once (a job may ask for fewer). */
        @WithDefault("4")
        int maxWorkers();

        /** Most source records a job may augment ({@code maxRecords} may ask for fewer). */
        @WithDefault("100000")
        int maxRecords();

        /** Whether completions are kept in {@code augment-cache/} and reused. */
        @WithName("cache.enabled")
        @WithDefault("true")
        boolean cacheEnabled();
    }

    interface Gate {

        /** A rewrite shorter than this share of its source (in characters) is rejected as {@code too_short}. */
        @WithDefault("0.3")
        double minLengthRatio();

        /** A rewrite longer than this multiple of its source plus {@link #lengthSlack()} is {@code too_long}. */
        @WithDefault("3.0")
        double maxLengthRatio();

        /** Characters added to the upper length bound, so a four-word instruction may become a sentence. */
        @WithDefault("40")
        int lengthSlack();

        /** Least share of letters in the expected script (CJK or Latin) for a translation to count as that language. */
        @WithDefault("0.6")
        double minScriptShare();

        /** Near-identical threshold when the parent's manifest names none (the pipeline's default). */
        @WithDefault("0.85")
        double nearDupThreshold();
    }

    interface Template {

        Optional<String> system();

        /** Must contain {@code {text}}; see PromptTemplates for the other placeholders. */
        String user();
    }
}
