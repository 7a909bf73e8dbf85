package io.tuneforge.registry.service;

/**
 * Something about a run changed and committed (a training event applied, a request submitted, its model version
 * registered): the live views (server-sent events) push the run's new state. A CDI event, fired after the commit.
 *
 * @param runId the run; null when the change is about no run
 * @param step  the metric step that changed, or null
 */
public record RegistryChanged(String runId, Long step) {
}
