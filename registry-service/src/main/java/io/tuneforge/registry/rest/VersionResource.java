package io.tuneforge.registry.rest;

import io.tuneforge.registry.persistence.ModelVersionStatus;
import io.tuneforge.registry.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Model versions across models (MLflow's search_model_versions). */
@Path("/api/versions")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.READER, Roles.WRITER, Roles.ADMIN})
@Tag(name = "Models")
public class VersionResource {

    private final RegistryViews views;
    private final Paging paging;

    public VersionResource(RegistryViews views, Paging paging) {
        this.views = views;
        this.paging = paging;
    }

    @GET
    @Operation(summary = "Search model versions, newest first")
    public PageView<ModelVersionView> search(
            @QueryParam("page") Integer page, @QueryParam("size") Integer size,
            @Parameter(description = "Only this model's versions") @QueryParam("model") String model,
            @Parameter(description = "PENDING_REGISTRATION, FAILED_REGISTRATION or READY") @QueryParam("status") String status,
            @Parameter(description = "Only the version this run produced") @QueryParam("runId") String runId) {
        return views.versions(blankToNull(model), status(status), blankToNull(runId), paging.page(page),
                paging.size(size));
    }

    static ModelVersionStatus status(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return ModelVersionStatus.parse(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("Query parameter 'status' is '" + value + "'; expected one of"
                    + " PENDING_REGISTRATION, FAILED_REGISTRATION, READY");
        }
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
