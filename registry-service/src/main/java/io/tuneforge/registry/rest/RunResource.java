package io.tuneforge.registry.rest;

import io.tuneforge.contracts.training.TrainingStatus;
import io.tuneforge.registry.persistence.RunEntity;
import io.tuneforge.registry.persistence.RunEventRepository;
import io.tuneforge.registry.persistence.RunRepository;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Training runs as the registry knows them from the training events. */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Runs", description = "Training runs, their status, errors and event timelines")
public class RunResource {

    private static final String STATUSES = Arrays.stream(TrainingStatus.values()).map(TrainingStatus::wireName)
            .collect(Collectors.joining(", "));

    private final RunRepository runs;
    private final RunEventRepository timeline;
    private final Paging paging;

    public RunResource(RunRepository runs, RunEventRepository timeline, Paging paging) {
        this.runs = runs;
        this.timeline = timeline;
        this.paging = paging;
    }

    @GET
    @Operation(summary = "List runs, newest first")
    @APIResponse(responseCode = "200", description = "One page of runs")
    @APIResponse(responseCode = "400", description = "Bad page, size or status",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PageView<RunSummaryView> list(
            @Parameter(description = "Zero-based page index", schema = @Schema(type = SchemaType.INTEGER, defaultValue = "0"))
            @QueryParam("page") Integer page,
            @Parameter(description = "Runs per page (tuneforge.registry.api.default-page-size when absent)")
            @QueryParam("size") Integer size,
            @Parameter(description = "Only runs in this status: validating, queued, running, succeeded, failed, cancelled")
            @QueryParam("status") String status) {
        return PageView.of(runs.page(status(status), paging.page(page), paging.size(size)), RunSummaryView::from);
    }

    @GET
    @Path("{runId}")
    @Operation(summary = "One run: status, error, request and event timeline")
    @APIResponse(responseCode = "200", description = "The run")
    @APIResponse(responseCode = "404", description = "No run with this id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RunDetailView get(@PathParam("runId") String runId) {
        RunEntity run = runs.findByIdOptional(runId).orElseThrow(() -> ProblemException.notFound(
                "No run with id '" + runId + "'; GET /api/runs lists the runs the registry knows"));
        return RunDetailView.from(run, timeline.timeline(runId));
    }

    private static TrainingStatus status(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return TrainingStatus.fromWire(value.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("Query parameter 'status' is '" + value + "'; expected one of "
                    + STATUSES);
        }
    }
}
