package io.tuneforge.registry.rest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * Runs side by side.
 *
 * @param runs          each run with its settings, final metrics and metric series, in the order asked for
 * @param metricNames   every final metric any run has, sorted
 * @param differingParameters settings (dotted paths into the request) whose values differ between the runs
 */
public record RunComparisonView(List<Entry> runs, List<String> metricNames, List<String> differingParameters) {

    /**
     * One run of the comparison.
     *
     * @param parameters   the request's settings flattened to dotted paths (hyperparameters.learningRate, lora.r, ...)
     * @param finalMetrics the metrics of its model version (trainLoss, evalLoss, ...), plus tuned evaluation
     *                     metrics as {@code eval.<name>}
     * @param series       its metric series in step order
     */
    public record Entry(RunSummaryView run, Map<String, String> parameters, Map<String, Double> finalMetrics,
                        List<RunMetricView> series, JsonNode request) {
    }
}
