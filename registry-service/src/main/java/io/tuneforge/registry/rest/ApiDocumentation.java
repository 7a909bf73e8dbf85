package io.tuneforge.registry.rest;

import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.security.SecuritySchemes;

/**
 * How callers authenticate, for the OpenAPI document: an API token ({@code POST /api/tokens}) or, when OIDC is
 * configured, an OIDC access token, both as {@code Authorization: Bearer ...}. Endpoints with {@code @RolesAllowed}
 * get the requirement added automatically.
 */
@SecuritySchemes({
        @SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
                description = "An API token (tfr_...) or, when OIDC is configured, an OIDC access token")
})
public final class ApiDocumentation {

    private ApiDocumentation() {
    }
}
