package io.tuneforge.registry.ui;

import io.quarkus.security.identity.SecurityIdentity;
import io.tuneforge.registry.security.Roles;
import jakarta.enterprise.context.ApplicationScoped;

/** Builds the page frame for the caller of the current request. */
@ApplicationScoped
public class UiContext {

    public Chrome chrome(SecurityIdentity identity, String title, String active) {
        String user = identity.isAnonymous() ? null : identity.getPrincipal().getName();
        String role = identity.hasRole(Roles.ADMIN) ? Roles.ADMIN
                : identity.hasRole(Roles.WRITER) ? Roles.WRITER
                : identity.hasRole(Roles.READER) ? Roles.READER : null;
        boolean canWrite = Roles.ADMIN.equals(role) || Roles.WRITER.equals(role);
        return new Chrome(title, active, user, role, canWrite, UiAssets.CHART_JS);
    }

    /** Refuses a page action for a caller without a write role (the endpoint's @RolesAllowed says the same). */
    public static boolean canWrite(SecurityIdentity identity) {
        return identity.hasRole(Roles.WRITER) || identity.hasRole(Roles.ADMIN);
    }
}
