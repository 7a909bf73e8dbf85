package io.tuneforge.registry.rest;

/**
 * What the live stream ({@code GET /api/stream/runs}, server-sent events) says when a run changes.
 *
 * @param run    the run as it is now
 * @param metric the metric point that changed with it, or null
 */
public record RunUpdate(RunSummaryView run, RunMetricView metric) {
}
