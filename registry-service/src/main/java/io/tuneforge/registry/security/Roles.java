package io.tuneforge.registry.security;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The registry's roles. {@value #READER}: browse the UI, read the API. {@value #WRITER}: also submit and cancel
 * runs, set aliases and tags. {@value #ADMIN}: also create and revoke API tokens. Endpoints list every role that may
 * call them ({@code @RolesAllowed({READER, WRITER, ADMIN})}), so there is no hierarchy to expand.
 */
public final class Roles {

    public static final String READER = "reader";
    public static final String WRITER = "writer";
    public static final String ADMIN = "admin";

    /** Roles an API token may have, weakest first. */
    public static final List<String> ALL = List.of(READER, WRITER, ADMIN);

    private Roles() {
    }

    /** @throws IllegalArgumentException naming the bad role and the allowed ones */
    public static String parse(String role) {
        if (role == null || !ALL.contains(role.trim().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("Role '" + role + "' is not one of " + String.join(", ", ALL));
        }
        return role.trim().toLowerCase(Locale.ROOT);
    }

    public static boolean canWrite(Set<String> roles) {
        return roles.contains(WRITER) || roles.contains(ADMIN);
    }
}
