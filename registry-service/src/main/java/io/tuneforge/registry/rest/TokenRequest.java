package io.tuneforge.registry.rest;

/**
 * Body of {@code POST /api/tokens}.
 *
 * @param name what the token is for (1-100 characters)
 * @param role reader, writer or admin
 */
public record TokenRequest(String name, String role) {
}
