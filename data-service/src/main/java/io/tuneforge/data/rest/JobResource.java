package io.tuneforge.data.rest;

import io.tuneforge.data.service.JobView;
import io.tuneforge.data.service.PreparationJobs;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.List;

/** Progress of the uploads and imports this replica is running or ran lately (kept in memory, per replica). */
@Path("/api/datasets/jobs")
@Tag(name = "Datasets")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    private final PreparationJobs jobs;

    public JobResource(PreparationJobs jobs) {
        this.jobs = jobs;
    }

    @GET
    @Operation(summary = "Running jobs (oldest first), then finished ones (newest first)")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = JobView.class, type = SchemaType.ARRAY)))
    public List<JobView> list(@Parameter(description = "only this dataset's jobs") @RestQuery String dataset) {
        return jobs.list(dataset);
    }

    @GET
    @Path("/{jobId}")
    @Operation(summary = "One job: phase, bytes read of the total, records kept and rejected, version, error")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "404", description = "No such job on this replica",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public JobView job(@RestPath String jobId) {
        return jobs.find(jobId).orElseThrow(() -> ProblemException.notFound("no job '" + jobId + "' on this replica;"
                + " GET /api/datasets/jobs lists the running and the last finished ones"));
    }
}
