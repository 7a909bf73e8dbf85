package io.tuneforge.registry.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A registered model with its versions, highest first.
 *
 * @param aliases alias → version
 */
public record ModelDetailView(String name, String description, Map<String, Integer> aliases,
                              Map<String, String> tags, List<ModelVersionView> versions, Instant createdAt,
                              Instant updatedAt) {
}
