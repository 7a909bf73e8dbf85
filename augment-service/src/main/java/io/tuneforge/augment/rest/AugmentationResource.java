package io.tuneforge.augment.rest;

import io.tuneforge.augment.job.AugmentationEngine;
import io.tuneforge.augment.job.JobProgress;
import io.tuneforge.augment.messaging.AugmentationCommandPublisher;
import io.tuneforge.augment.service.AugmentationAdmission;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.augmentation.AugmentationRequested;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.storage.StorageException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /api/augmentations} takes the body of an AugmentationRequested command ({@code jobId} optional),
 * checks it as the consumer would, and puts it on {@code tuneforge.augmentation.commands}: 202 with the job's
 * address. {@code GET /api/augmentations/{jobId}} reads the job's progress from the store (any replica answers).
 * Errors are {@code application/problem+json} (RFC 9457) with the reason code and what to do.
 */
@Path("/api/augmentations")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AugmentationResource {

    static final String PROBLEM = "application/problem+json";

    private final AugmentationAdmission admission;
    private final AugmentationEngine engine;
    private final AugmentationCommandPublisher commands;

    public AugmentationResource(AugmentationAdmission admission, AugmentationEngine engine,
            AugmentationCommandPublisher commands) {
        this.admission = admission;
        this.engine = engine;
        this.commands = commands;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(String body, @Context UriInfo uri) {
        AugmentationRequested request;
        try {
            request = Json.mapper().readValue(body, AugmentationRequested.class);
        } catch (Exception e) {
            return problem(400, "Bad Request", "INVALID_REQUEST", "The body is not an AugmentationRequested JSON"
                    + " object ({\"source\": {\"datasetId\", \"version\"}, \"operations\": [...], \"settings\": {...}}): "
                    + e.getMessage().split("\n")[0], uri);
        }
        if (request == null) {
            return problem(400, "Bad Request", "INVALID_REQUEST", "The body is empty; expected an"
                    + " AugmentationRequested JSON object", uri);
        }
        String jobId = request.jobId() == null || request.jobId().isBlank()
                ? "aug-" + UUID.randomUUID().toString().substring(0, 13) : request.jobId();
        request = new AugmentationRequested(1, jobId, request.source(), request.operations(), request.settings());
        Optional<AugmentationAdmission.Refusal> refusal = admission.check(request);
        if (refusal.isPresent()) {
            String code = refusal.get().code();
            int status = switch (code) {
                case AugmentationEngine.DATASET_NOT_FOUND -> 404;
                case AugmentationEngine.INFRASTRUCTURE_ERROR -> 503;
                default -> 400;
            };
            return problem(status, status == 404 ? "Not Found" : status == 503 ? "Service Unavailable"
                    : "Bad Request", code, refusal.get().message(), uri);
        }
        Optional<JobProgress> existing;
        try {
            existing = engine.progress(jobId);
        } catch (StorageException e) {
            return problem(503, "Service Unavailable", AugmentationEngine.INFRASTRUCTURE_ERROR, e.getMessage(), uri);
        }
        if (existing.isPresent() && !AugmentationEngine.sameRequest(existing.get().request(), request)) {
            return problem(409, "Conflict", AugmentationEngine.INVALID_REQUEST, "Job id '" + jobId + "' was already"
                    + " used for another request; use a new jobId (or none, to get a generated one)", uri);
        }
        commands.publish(request);
        Map<String, Object> accepted = new LinkedHashMap<>();
        accepted.put("jobId", jobId);
        accepted.put("status", existing.map(JobProgress::status).orElse("queued"));
        accepted.put("source", request.source());
        accepted.put("operations", request.operations());
        accepted.put("href", "/api/augmentations/" + jobId);
        return Response.accepted(Json.write(accepted)).type(MediaType.APPLICATION_JSON)
                .location(uri.getBaseUriBuilder().path("api/augmentations").path(jobId).build()).build();
    }

    @GET
    @Path("/{jobId}")
    public Response get(@PathParam("jobId") String jobId, @Context UriInfo uri) {
        if (!ObjectKeys.isValidId(jobId)) {
            return problem(400, "Bad Request", "INVALID_REQUEST", "jobId: expected " + ObjectKeys.ID_RULE + ", got '"
                    + jobId + "'", uri);
        }
        Optional<JobProgress> progress;
        try {
            progress = engine.progress(jobId);
        } catch (StorageException e) {
            return problem(503, "Service Unavailable", AugmentationEngine.INFRASTRUCTURE_ERROR, e.getMessage(), uri);
        }
        return progress.map(p -> Response.ok(Json.write(JobView.of(p))).build())
                .orElseGet(() -> problem(404, "Not Found", "JOB_NOT_FOUND", "No augmentation job '" + jobId + "' has"
                        + " started. A job sent a moment ago appears once augment-service picks it up; otherwise"
                        + " check the id returned by POST /api/augmentations.", uri));
    }

    private static Response problem(int status, String title, String code, String detail, UriInfo uri) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "about:blank");
        p.put("title", title);
        p.put("status", status);
        p.put("code", code);
        p.put("detail", detail);
        p.put("instance", uri.getPath());
        return Response.status(status).type(PROBLEM).entity(Json.write(p)).build();
    }
}
