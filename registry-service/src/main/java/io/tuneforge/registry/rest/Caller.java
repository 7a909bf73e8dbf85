package io.tuneforge.registry.rest;

import io.quarkus.security.identity.SecurityIdentity;

/** Who is calling, for audit fields such as a run's submitted-by tag. */
public final class Caller {

    private Caller() {
    }

    /** The principal's name, or null for an anonymous caller. */
    public static String name(SecurityIdentity identity) {
        return identity == null || identity.isAnonymous() ? null : identity.getPrincipal().getName();
    }
}
