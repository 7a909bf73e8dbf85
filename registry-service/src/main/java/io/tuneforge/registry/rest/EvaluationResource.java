package io.tuneforge.registry.rest;

import io.tuneforge.registry.config.RegistryConfig;
import io.tuneforge.registry.security.Roles;
import io.tuneforge.registry.service.ArtifactLink;
import io.tuneforge.registry.service.ArtifactLinks;
import io.tuneforge.registry.service.EvaluationSample;
import io.tuneforge.registry.service.EvaluationSamples;
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

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Base vs tuned evaluations: metrics, side-by-side samples, report links. */
@Path("/api/evaluations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.READER, Roles.WRITER, Roles.ADMIN})
@Tag(name = "Evaluations", description = "Base vs tuned metrics and sample outputs")
public class EvaluationResource {

    private final RegistryViews views;
    private final EvaluationSamples samples;
    private final ArtifactLinks links;
    private final RegistryConfig config;
    private final Paging paging;

    public EvaluationResource(RegistryViews views, EvaluationSamples samples, ArtifactLinks links,
                              RegistryConfig config, Paging paging) {
        this.views = views;
        this.samples = samples;
        this.links = links;
        this.config = config;
        this.paging = paging;
    }

    @GET
    @Operation(summary = "Evaluations, newest first")
    public PageView<EvaluationView> list(@QueryParam("page") Integer page, @QueryParam("size") Integer size,
                                         @Parameter(description = "Only this run's") @QueryParam("runId") String runId) {
        return views.evaluations(VersionResource.blankToNull(runId), paging.page(page), paging.size(size));
    }

    @GET
    @Path("{evalId}")
    @Operation(summary = "One evaluation: base, tuned and delta per metric")
    @APIResponse(responseCode = "404", description = "No such evaluation",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public EvaluationView get(@PathParam("evalId") String evalId) {
        return views.evaluation(evalId);
    }

    @GET
    @Path("{evalId}/samples")
    @Operation(summary = "Sample outputs of the base and the tuned model side by side (from samples.jsonl)")
    @APIResponse(responseCode = "503", description = "The object store could not be read",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<EvaluationSample> samples(@PathParam("evalId") String evalId,
                                          @Parameter(description = "At most this many (default and cap: tuneforge.registry.ui.max-samples)")
                                          @QueryParam("limit") Integer limit) {
        EvaluationView e = views.evaluation(evalId);
        if (e.samplesUri() == null) {
            return List.of();
        }
        int max = config.ui().maxSamples();
        if (limit != null && limit < 1) {
            throw ProblemException.badRequest("Query parameter 'limit' must be at least 1, got " + limit);
        }
        return samples.read(e.samplesUri(), limit == null ? max : Math.min(limit, max));
    }

    @GET
    @Path("{evalId}/artifacts")
    @Operation(summary = "Presigned download links for the report and the samples")
    public List<ArtifactLink> artifacts(@PathParam("evalId") String evalId) {
        EvaluationView e = views.evaluation(evalId);
        List<ArtifactLink> result = new ArrayList<>();
        Instant expires = Instant.now().plus(config.downloads().expiry());
        for (String uri : new String[]{e.reportUri(), e.samplesUri()}) {
            if (uri != null) {
                result.add(new ArtifactLink(uri.substring(uri.lastIndexOf('/') + 1), uri, -1, links.link(uri),
                        expires));
            }
        }
        return result;
    }
}
