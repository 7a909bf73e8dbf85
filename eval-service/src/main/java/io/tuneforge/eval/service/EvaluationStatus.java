package io.tuneforge.eval.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tuneforge.contracts.evaluation.MetricComparison;

import java.time.Instant;
import java.util.Map;

/**
 * Where one evaluation stands on this replica.
 *
 * @param state queued, running, succeeded, failed or skipped (its report existed already)
 * @param errorCode with {@code failed}: the code of the {@code EvaluationFailed} sent
 * @param message with {@code failed}: what went wrong and what to do
 * @param metrics with {@code succeeded}: base, tuned, delta
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationStatus(String evalId, String state, String errorCode, String message,
                               Map<String, MetricComparison> metrics, Integer samplesEvaluated, String report,
                               String samples, Instant updatedAt) {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String SKIPPED = "skipped";

    public static EvaluationStatus of(String evalId, String state) {
        return new EvaluationStatus(evalId, state, null, null, null, null, null, null, Instant.now());
    }

    public static EvaluationStatus failed(String evalId, String code, String message) {
        return new EvaluationStatus(evalId, FAILED, code, message, null, null, null, null, Instant.now());
    }

    public boolean finished() {
        return !QUEUED.equals(state) && !RUNNING.equals(state);
    }
}
