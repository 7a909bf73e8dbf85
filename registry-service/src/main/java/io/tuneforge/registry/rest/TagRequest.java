package io.tuneforge.registry.rest;

/** Body of {@code PUT .../tags/{key}}: the tag's new value (up to 5000 characters). */
public record TagRequest(String value) {
}
