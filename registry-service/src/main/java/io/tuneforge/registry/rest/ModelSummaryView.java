package io.tuneforge.registry.rest;

import java.time.Instant;
import java.util.Map;

/**
 * A registered model in a list.
 *
 * @param latestVersion highest version number; 0 when it has none
 * @param aliases       alias → version
 * @param tags          its tags
 * @param updatedAt     when its latest version was registered
 */
public record ModelSummaryView(String name, String description, int latestVersion, long versionCount,
                               Map<String, Integer> aliases, Map<String, String> tags, Instant createdAt,
                               Instant updatedAt) {
}
