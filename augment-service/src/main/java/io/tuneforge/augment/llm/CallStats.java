package io.tuneforge.augment.llm;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Thread-safe counters of one job (or one chunk of it); {@link #snapshot()} gives {@link CallCounts}. */
public final class CallStats {

    private final LongAdder requests = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder fresh = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder httpRequests = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder circuitOpen = new LongAdder();
    private final LongAdder promptTokens = new LongAdder();
    private final LongAdder completionTokens = new LongAdder();
    private final LongAdder cachedPromptTokens = new LongAdder();
    private final LongAdder cachedCompletionTokens = new LongAdder();
    private final Map<FailureKind, LongAdder> errors = new ConcurrentHashMap<>();

    void requested() {
        requests.increment();
    }

    void cacheHit(LlmReply reply) {
        cacheHits.increment();
        cachedPromptTokens.add(reply.promptTokens());
        cachedCompletionTokens.add(reply.completionTokens());
    }

    void answered(LlmReply reply) {
        fresh.increment();
        promptTokens.add(reply.promptTokens());
        completionTokens.add(reply.completionTokens());
    }

    void gaveUp() {
        failed.increment();
    }

    /** An attempt is about to be sent; {@code retry} when it is not the completion's first. */
    void attempt(boolean retry) {
        httpRequests.increment();
        if (retry) {
            retries.increment();
        }
    }

    /** An attempt the open breaker stopped; {@code retry} when it was not the completion's first. */
    void circuitOpen(boolean retry) {
        circuitOpen.increment();
        if (retry) {
            retries.increment();
        }
    }

    void error(FailureKind kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    public CallCounts snapshot() {
        Map<String, Long> e = new TreeMap<>();
        errors.forEach((k, v) -> e.put(k.wireName(), v.sum()));
        return new CallCounts(requests.sum(), cacheHits.sum(), fresh.sum(), failed.sum(), httpRequests.sum(),
                retries.sum(), circuitOpen.sum(), promptTokens.sum(), completionTokens.sum(), cachedPromptTokens.sum(),
                cachedCompletionTokens.sum(), e);
    }
}
