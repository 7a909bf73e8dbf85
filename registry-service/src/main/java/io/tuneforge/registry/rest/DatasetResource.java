package io.tuneforge.registry.rest;

import io.tuneforge.registry.persistence.DatasetVersionEntity;
import io.tuneforge.registry.persistence.DatasetVersionRepository;
import io.tuneforge.contracts.dataset.DatasetFormat;
import io.tuneforge.registry.lineage.LineageGraph;
import io.tuneforge.registry.lineage.LineageService;
import io.tuneforge.registry.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** Datasets and their immutable versions, as announced by DatasetPrepared events. */
@Path("/api/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Datasets", description = "Registered datasets and their versions")
@RolesAllowed({Roles.READER, Roles.WRITER, Roles.ADMIN})
public class DatasetResource {

    private final DatasetVersionRepository versions;
    private final LineageService lineage;
    private final Paging paging;

    public DatasetResource(DatasetVersionRepository versions, LineageService lineage, Paging paging) {
        this.versions = versions;
        this.lineage = lineage;
        this.paging = paging;
    }

    @GET
    @Operation(summary = "List datasets by id, with their latest version")
    @APIResponse(responseCode = "200", description = "One page of datasets")
    @APIResponse(responseCode = "400", description = "Bad page or size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PageView<DatasetSummaryView> list(
            @Parameter(description = "Zero-based page index") @QueryParam("page") Integer page,
            @Parameter(description = "Datasets per page") @QueryParam("size") Integer size,
            @Parameter(description = "Only datasets whose id contains this text (case-insensitive)")
            @QueryParam("q") String q,
            @Parameter(description = "Only datasets with a version in this format: instruction, conversation, preference")
            @QueryParam("format") String format) {
        return PageView.of(versions.datasets(VersionResource.blankToNull(q), format(format), paging.page(page),
                paging.size(size)), DatasetSummaryView::from);
    }

    @GET
    @Path("{datasetId}/versions/{version}/lineage")
    @Operation(summary = "Lineage of a dataset version: versions it came from and was derived into, runs on it,"
            + " their model versions and evaluations")
    public LineageGraph lineage(@PathParam("datasetId") String datasetId, @PathParam("version") int version) {
        return lineage.ofDatasetVersion(datasetId, version);
    }

    private static String format(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return DatasetFormat.fromWire(value.trim()).wireName();
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("Query parameter 'format' is '" + value + "'; expected one of"
                    + " instruction, conversation, preference");
        }
    }

    @GET
    @Path("{datasetId}/versions")
    @Operation(summary = "Every version of a dataset, oldest first")
    @APIResponse(responseCode = "200", description = "The versions")
    @APIResponse(responseCode = "404", description = "No dataset with this id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<DatasetVersionView> versions(@PathParam("datasetId") String datasetId) {
        List<DatasetVersionEntity> all = versions.versions(datasetId);
        if (all.isEmpty()) {
            throw ProblemException.notFound("No dataset with id '" + datasetId
                    + "'; GET /api/datasets lists the datasets the registry knows");
        }
        return all.stream().map(DatasetVersionView::from).toList();
    }

    @GET
    @Path("{datasetId}/versions/{version}")
    @Operation(summary = "One version of a dataset")
    @APIResponse(responseCode = "200", description = "The version")
    @APIResponse(responseCode = "404", description = "No such dataset or version",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public DatasetVersionView version(@PathParam("datasetId") String datasetId, @PathParam("version") int version) {
        return versions.findVersion(datasetId, version).map(DatasetVersionView::from).orElseThrow(() -> {
            List<DatasetVersionEntity> all = versions.versions(datasetId);
            return ProblemException.notFound(all.isEmpty()
                    ? "No dataset with id '" + datasetId + "'; GET /api/datasets lists the datasets the registry knows"
                    : "Dataset '" + datasetId + "' has no version " + version + "; its versions are "
                    + all.stream().map(v -> v.version).toList());
        });
    }
}
