package io.tuneforge.registry.security;

/**
 * Who a valid token belongs to.
 *
 * @param name principal name: {@code token:<name>} for a stored token, {@code admin-token} for the bootstrap token
 * @param role reader, writer or admin
 */
public record TokenOwner(String name, String role) {
}
