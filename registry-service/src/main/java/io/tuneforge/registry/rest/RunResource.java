package io.tuneforge.registry.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.contracts.training.ParsedTrainingRequest;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.contracts.training.TrainingRequests;
import io.tuneforge.contracts.training.TrainingStatus;
import io.tuneforge.registry.lineage.LineageGraph;
import io.tuneforge.registry.lineage.LineageService;
import io.tuneforge.registry.persistence.RunFilter;
import io.tuneforge.registry.persistence.TagTarget;
import io.tuneforge.registry.security.Roles;
import io.tuneforge.registry.service.ArtifactLink;
import io.tuneforge.registry.service.ArtifactLinks;
import io.tuneforge.registry.service.RunSubmissions;
import io.tuneforge.registry.service.TagService;
import io.tuneforge.servicekit.storage.StorageConfig;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.security.SecuritySchemes;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Training runs: search, details, metric series, lineage, artifacts, tags; submit and cancel. Also declares how
 * every endpoint authenticates, for the OpenAPI document: {@code Authorization: Bearer} with an API token
 * ({@code POST /api/tokens}) or, when OIDC is configured, an OIDC access token.
 */
@SecuritySchemes(@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An API token (tfr_...) or, when OIDC is configured, an OIDC access token"))
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.READER, Roles.WRITER, Roles.ADMIN})
@Tag(name = "Runs", description = "Training runs, their status, errors, metrics and event timelines")
public class RunResource {

    private static final String STATUSES = Arrays.stream(TrainingStatus.values()).map(TrainingStatus::wireName)
            .collect(Collectors.joining(", "));

    private final RegistryViews views;
    private final RunSubmissions submissions;
    private final TagService tags;
    private final LineageService lineage;
    private final ArtifactLinks links;
    private final StorageConfig storage;
    private final Paging paging;
    private final SecurityIdentity identity;

    public RunResource(RegistryViews views, RunSubmissions submissions, TagService tags, LineageService lineage,
                       ArtifactLinks links, StorageConfig storage, Paging paging, SecurityIdentity identity) {
        this.views = views;
        this.submissions = submissions;
        this.tags = tags;
        this.lineage = lineage;
        this.links = links;
        this.storage = storage;
        this.paging = paging;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Search runs, newest first")
    @APIResponse(responseCode = "200", description = "One page of runs")
    @APIResponse(responseCode = "400", description = "Bad page, size or status",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PageView<RunSummaryView> list(
            @Parameter(description = "Zero-based page index", schema = @Schema(type = SchemaType.INTEGER, defaultValue = "0"))
            @QueryParam("page") Integer page,
            @Parameter(description = "Runs per page (tuneforge.registry.api.default-page-size when absent)")
            @QueryParam("size") Integer size,
            @Parameter(description = "Only runs in this status: validating, queued, running, succeeded, failed, cancelled")
            @QueryParam("status") String status,
            @Parameter(description = "Only runs filed under this registered model") @QueryParam("model") String model,
            @Parameter(description = "Only runs on this dataset") @QueryParam("dataset") String dataset,
            @Parameter(description = "With dataset: only runs on this version") @QueryParam("datasetVersion")
            Integer datasetVersion,
            @Parameter(description = "Only runs whose id contains this text") @QueryParam("q") String q) {
        RunFilter filter = new RunFilter(status(status), VersionResource.blankToNull(model),
                VersionResource.blankToNull(dataset), datasetVersion, VersionResource.blankToNull(q));
        return views.runs(filter, paging.page(page), paging.size(size));
    }

    @GET
    @Path("{runId}")
    @Operation(summary = "One run: status, error, request, tags, model version, evaluations and event timeline")
    @APIResponse(responseCode = "200", description = "The run")
    @APIResponse(responseCode = "404", description = "No run with this id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RunDetailView get(@PathParam("runId") String runId) {
        return views.run(runId);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.WRITER, Roles.ADMIN})
    @Operation(summary = "Submit a training request: validated, then published as TrainingRequested")
    @RequestBody(description = "A training request (see libs/contracts README)", required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TrainingRequest.class)))
    @APIResponse(responseCode = "202", description = "Published; follow the run at Location",
            content = @Content(schema = @Schema(implementation = SubmittedRun.class)))
    @APIResponse(responseCode = "400", description = "Every bad field with its path and what would be right",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = ValidationProblem.class)))
    @APIResponse(responseCode = "409", description = "The run id is taken",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The broker did not take the request; nothing was submitted",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response submit(String body) {
        ParsedTrainingRequest parsed = TrainingRequests.parse(body);
        if (!parsed.isValid()) {
            throw new InvalidRequestException("The training request has " + parsed.describeErrors(),
                    parsed.errors(), parsed.warnings());
        }
        EventEnvelope<TrainingRequest> command = submissions.submit(parsed.request(), Caller.name(identity));
        String runId = command.data().runId();
        SubmittedRun answer = new SubmittedRun(runId, command.id(), TrainingStatus.VALIDATING.wireName(),
                parsed.warnings(), "/api/runs/" + runId);
        return Response.accepted(answer).location(URI.create("/api/runs/" + runId)).build();
    }

    @POST
    @Path("{runId}/cancel")
    @RolesAllowed({Roles.WRITER, Roles.ADMIN})
    @Operation(summary = "Ask trainer-service to stop the run after its current step (publishes TrainingCancelRequested)")
    @APIResponse(responseCode = "202", description = "Published")
    @APIResponse(responseCode = "404", description = "No run with this id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The run already ended",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @RequestBody(description = "Optional: {\"reason\": \"...\"}", required = false,
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CancelRequest.class)))
    public Response cancel(@PathParam("runId") String runId, String body) {
        String reason = null;
        if (body != null && !body.isBlank()) {
            try {
                reason = Json.read(body, CancelRequest.class).reason();
            } catch (RuntimeException e) {
                throw ProblemException.badRequest("The body must be {\"reason\": \"...\"} or empty; it is not JSON of"
                        + " that shape");
            }
        }
        var command = submissions.cancel(runId, reason, Caller.name(identity));
        return Response.accepted(Map.of("runId", runId, "eventId", command.id(),
                "reason", command.data().reason())).build();
    }

    @GET
    @Path("{runId}/metrics")
    @Operation(summary = "The run's metric series in step order: loss, eval loss, learning rate, ...")
    public List<RunMetricView> metrics(@PathParam("runId") String runId) {
        return views.series(runId);
    }

    @GET
    @Path("{runId}/lineage")
    @Operation(summary = "Lineage around the run: its dataset version (and parents), model version, evaluations")
    public LineageGraph lineage(@PathParam("runId") String runId) {
        return lineage.ofRun(runId);
    }

    @GET
    @Path("{runId}/artifacts")
    @Operation(summary = "The run's files (adapter, exports, metrics, request) with presigned download links")
    public List<ArtifactLink> artifacts(@PathParam("runId") String runId,
                                        @Parameter(description = "Include checkpoints (many files)")
                                        @QueryParam("checkpoints") boolean checkpoints) {
        views.run(runId);
        String prefix = ObjectKeys.uri(storage.bucket(), ObjectKeys.runPrefix(runId));
        return links.under(prefix, file -> checkpoints || !file.startsWith("checkpoints/"));
    }

    @PUT
    @Path("{runId}/tags/{key}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.WRITER, Roles.ADMIN})
    @Operation(summary = "Set a tag on the run; answers all its tags")
    public Map<String, String> setTag(@PathParam("runId") String runId, @PathParam("key") String key,
                                      TagRequest body) {
        return tags.set(TagTarget.RUN, runId, key, body == null ? null : body.value());
    }

    @DELETE
    @Path("{runId}/tags/{key}")
    @RolesAllowed({Roles.WRITER, Roles.ADMIN})
    @Operation(summary = "Remove a tag from the run")
    @APIResponse(responseCode = "204", description = "Removed")
    public void deleteTag(@PathParam("runId") String runId, @PathParam("key") String key) {
        tags.delete(TagTarget.RUN, runId, key);
    }

    static TrainingStatus status(String value) {
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
