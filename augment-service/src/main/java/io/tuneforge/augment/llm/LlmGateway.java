package io.tuneforge.augment.llm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import io.tuneforge.augment.config.AugmentConfig;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Completions through one SmallRye Fault Tolerance {@link Guard} per replica, outermost first:
 * <pre>
 *   response cache (augment-cache/{sha256}.json) ─ hit: no request at all
 *   retry        maxRetries, maxRetryDuration; backoff {@link RetryBackoff}: Retry-After, breaker delay, exponential
 *                with jitter; retried: 429 (unless Retry-After &gt; maxRetryAfter), 5xx, timeouts, connection
 *                errors, malformed bodies, empty choices, an open breaker
 *   circuit      opens when failureRatio of the last requestVolume attempts were 5xx/timeouts/connection/malformed/
 *   breaker      empty (429 and 4xx do not count: the server is answering); stays open for delay, then lets
 *                successThreshold trial requests through
 *   bulkhead     at most maxConcurrency requests in flight; the rest queue (synchronous queueing)
 *   one HTTP request ({@link OpenAiChat})
 * </pre>
 * The breaker and the bulkhead are shared by every job of this replica: they protect one endpoint. Counters are per
 * job ({@link CallStats}).
 */
public final class LlmGateway implements Completions {

    private static final Logger LOG = Logger.getLogger(LlmGateway.class);
    private static final ThreadLocal<Attempts> CURRENT = new ThreadLocal<>();

    /** The guard's numbers; {@link #from} reads them from configuration. */
    public record Policy(int maxConcurrency, int maxRetries, Duration initialBackoff, Duration maxBackoff,
                         Duration maxRetryAfter, Duration maxRetryDuration, int breakerRequestVolume,
                         double breakerFailureRatio, Duration breakerDelay, int breakerSuccessThreshold) {

        public static Policy from(AugmentConfig.Reliability r) {
            return new Policy(r.maxConcurrency(), r.maxRetries(), r.initialBackoff(), r.maxBackoff(),
                    r.maxRetryAfter(), r.maxRetryDuration(), r.circuitBreaker().requestVolume(),
                    r.circuitBreaker().failureRatio(), r.circuitBreaker().delay(),
                    r.circuitBreaker().successThreshold());
        }
    }

    private final OpenAiChat chat;
    private final ResponseCache cache;
    private final Policy policy;
    private final Guard guard;

    /** @param name the breaker's name (for logs and {@code CircuitBreakerMaintenance}) */
    public LlmGateway(OpenAiChat chat, ResponseCache cache, Policy policy, String name) {
        this.chat = chat;
        this.cache = cache;
        this.policy = policy;
        this.guard = Guard.create()
                .withDescription("LLM API " + chat.endpoint() + " (" + name + ")")
                .withRetry()
                    .maxRetries(policy.maxRetries())
                    .delay(policy.initialBackoff().toMillis(), ChronoUnit.MILLIS)
                    .jitter(0, ChronoUnit.MILLIS)
                    .maxDuration(policy.maxRetryDuration().toMillis(), ChronoUnit.MILLIS)
                    .whenException(this::retryable)
                    .withCustomBackoff()
                        .strategy(() -> new RetryBackoff(policy.initialBackoff(), policy.maxBackoff(),
                                policy.breakerDelay(), () -> ThreadLocalRandom.current().nextDouble(),
                                LlmGateway::retrying))
                        .done()
                    .done()
                .withCircuitBreaker()
                    .name(name)
                    .requestVolumeThreshold(policy.breakerRequestVolume())
                    .failureRatio(policy.breakerFailureRatio())
                    .delay(policy.breakerDelay().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(policy.breakerSuccessThreshold())
                    .when(t -> t instanceof LlmCallException e && e.kind().breakerFailure())
                    .onStateChange(state -> LOG.logf(state == CircuitBreakerState.CLOSED ? Logger.Level.INFO
                            : Logger.Level.WARN, "Circuit breaker of %s is now %s", chat.endpoint(), state))
                    .done()
                .withBulkhead()
                    .limit(policy.maxConcurrency())
                    .queueSize(10_000)
                    .enableSynchronousQueueing()
                    .done()
                .build();
    }

    @Override
    public String endpoint() {
        return chat.endpoint();
    }

    public Policy policy() {
        return policy;
    }

    @Override
    public LlmReply complete(ChatPrompt prompt, LlmSettings settings, CallStats stats) {
        stats.requested();
        ObjectNode request = ResponseCache.request(settings, prompt);
        String key = ResponseCache.key(request);
        Optional<LlmReply> hit = cache.get(key, request);
        if (hit.isPresent()) {
            stats.cacheHit(hit.get());
            return hit.get();
        }
        Attempts attempts = new Attempts(stats);
        Attempts outer = CURRENT.get();
        CURRENT.set(attempts);
        try {
            LlmReply reply = guard.call(() -> attempts.send(prompt, settings), LlmReply.class);
            stats.answered(reply);
            cache.put(key, request, reply);
            return reply;
        } catch (CircuitBreakerOpenException e) {
            attempts.circuitOpenAtLast(e);
            stats.gaveUp();
            throw new LlmCallException(FailureKind.CIRCUIT_OPEN, "The LLM API " + chat.endpoint() + " kept failing"
                    + " (5xx, timeouts or bad answers) and its circuit breaker stayed open through "
                    + policy.maxRetries() + " retries; check the endpoint, then send the job again: it resumes"
                    + " where it stopped", e);
        } catch (LlmCallException e) {
            stats.gaveUp();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the LLM API");
        } catch (Exception e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("interrupted while waiting for the LLM API");
            }
            stats.gaveUp();
            throw new LlmCallException(FailureKind.OTHER, "Completion through " + chat.endpoint() + " failed: "
                    + e, e);
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    private boolean retryable(Throwable t) {
        if (t instanceof CircuitBreakerOpenException) {
            return true;
        }
        if (!(t instanceof LlmCallException e) || !e.kind().retryable()) {
            return false;
        }
        if (e.retryAfter().filter(d -> d.compareTo(policy.maxRetryAfter()) > 0).isPresent()) {
            LOG.warnf("%s asks to wait %d s (Retry-After), longer than tuneforge.augment.reliability.max-retry-after"
                    + " (%d s): not waiting", chat.endpoint(), e.retryAfter().get().toSeconds(),
                    policy.maxRetryAfter().toSeconds());
            return false;
        }
        return true;
    }

    private static void retrying(Throwable cause) {
        Attempts a = CURRENT.get();
        if (a != null) {
            a.retrying(cause);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debugf("Retrying a completion after: %s", cause.getMessage());
        }
    }

    /** The attempts of one completion, counted into its job's stats. */
    private final class Attempts {

        private final CallStats stats;
        private int count;
        private Throwable lastCounted;

        Attempts(CallStats stats) {
            this.stats = stats;
        }

        LlmReply send(ChatPrompt prompt, LlmSettings settings) {
            stats.attempt(count++ > 0);
            try {
                return chat.complete(prompt, settings);
            } catch (LlmCallException e) {
                stats.error(e.kind());
                throw e;
            }
        }

        /** Called before a retry with the failure that caused it; counts attempts the open breaker stopped. */
        void retrying(Throwable cause) {
            if (cause instanceof CircuitBreakerOpenException) {
                stats.circuitOpen(count++ > 0);
                lastCounted = cause;
            }
        }

        void circuitOpenAtLast(Throwable e) {
            if (e != lastCounted) {
                stats.circuitOpen(count++ > 0);
            }
        }
    }
}
