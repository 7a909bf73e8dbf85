package io.tuneforge.registry.rest;

import io.tuneforge.registry.persistence.DatasetVersionEntity;
import io.tuneforge.registry.persistence.DatasetVersionRepository;
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
public class DatasetResource {

    private final DatasetVersionRepository versions;
    private final Paging paging;

    public DatasetResource(DatasetVersionRepository versions, Paging paging) {
        this.versions = versions;
        this.paging = paging;
    }

    @GET
    @Operation(summary = "List datasets by id, with their latest version")
    @APIResponse(responseCode = "200", description = "One page of datasets")
    @APIResponse(responseCode = "400", description = "Bad page or size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PageView<DatasetSummaryView> list(
            @Parameter(description = "Zero-based page index") @QueryParam("page") Integer page,
            @Parameter(description = "Datasets per page") @QueryParam("size") Integer size) {
        return PageView.of(versions.datasets(paging.page(page), paging.size(size)), DatasetSummaryView::from);
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
