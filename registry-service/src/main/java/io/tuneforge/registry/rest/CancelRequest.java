package io.tuneforge.registry.rest;

/** Body of {@code POST /api/runs/{runId}/cancel} (optional): why the run is cancelled. */
public record CancelRequest(String reason) {
}
