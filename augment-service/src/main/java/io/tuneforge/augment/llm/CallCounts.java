package io.tuneforge.augment.llm;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a job's completions cost, as the manifest and progress.json record it. The numbers add up:
 * <pre>
 * requests                   = cacheHits + fresh + failed
 * httpRequests               = fresh + Σ errors            (every request sent either answered or failed one way)
 * httpRequests + circuitOpen = fresh + failed + retries    (attempts = first attempts + retries)
 * </pre>
 *
 * @param requests               completions the job asked for
 * @param cacheHits              answered from {@code augment-cache/}: nothing paid
 * @param fresh                  answered by the API (paid)
 * @param failed                 given up on after retries (or not retryable)
 * @param httpRequests           HTTP requests sent to the API, retries included
 * @param retries                attempts after the first, sent or stopped by the open circuit breaker
 * @param circuitOpen            attempts the open circuit breaker stopped before they were sent
 * @param promptTokens           prompt tokens of the fresh answers, as the API reported them
 * @param completionTokens       completion tokens of the fresh answers
 * @param cachedPromptTokens     prompt tokens of the cached answers (paid by an earlier run)
 * @param cachedCompletionTokens completion tokens of the cached answers
 * @param errors                 failed HTTP requests by {@link FailureKind#wireName()}
 */
public record CallCounts(long requests, long cacheHits, long fresh, long failed, long httpRequests, long retries,
                         long circuitOpen, long promptTokens, long completionTokens, long cachedPromptTokens,
                         long cachedCompletionTokens, Map<String, Long> errors) {

    public static final CallCounts ZERO = new CallCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of());

    public CallCounts {
        errors = errors == null ? Map.of() : Map.copyOf(errors);
    }

    public CallCounts plus(CallCounts o) {
        Map<String, Long> e = new TreeMap<>(errors);
        o.errors.forEach((k, v) -> e.merge(k, v, Long::sum));
        return new CallCounts(requests + o.requests, cacheHits + o.cacheHits, fresh + o.fresh, failed + o.failed,
                httpRequests + o.httpRequests, retries + o.retries, circuitOpen + o.circuitOpen,
                promptTokens + o.promptTokens, completionTokens + o.completionTokens,
                cachedPromptTokens + o.cachedPromptTokens, cachedCompletionTokens + o.cachedCompletionTokens, e);
    }

    /** Σ errors. */
    public long failedHttpRequests() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The three equations above, or a description of the first that does not hold. */
    public String check() {
        if (requests != cacheHits + fresh + failed) {
            return "requests " + requests + " != cacheHits " + cacheHits + " + fresh " + fresh + " + failed " + failed;
        }
        if (httpRequests != fresh + failedHttpRequests()) {
            return "httpRequests " + httpRequests + " != fresh " + fresh + " + errors " + failedHttpRequests();
        }
        if (httpRequests + circuitOpen != fresh + failed + retries) {
            return "httpRequests " + httpRequests + " + circuitOpen " + circuitOpen + " != fresh " + fresh
                    + " + failed " + failed + " + retries " + retries;
        }
        return null;
    }
}
