package io.tuneforge.registry.rest;

import io.tuneforge.registry.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

/** Runs side by side: settings that differ, final metrics, metric series. */
@Path("/api/compare/runs")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.READER, Roles.WRITER, Roles.ADMIN})
@Tag(name = "Runs")
public class CompareResource {

    /** More runs than this make an unreadable comparison. */
    static final int MAX_RUNS = 10;

    private final RegistryViews views;

    public CompareResource(RegistryViews views) {
        this.views = views;
    }

    @GET
    @Operation(summary = "Compare 2 to 10 runs: settings, final metrics and metric series side by side")
    @APIResponse(responseCode = "400", description = "Fewer than 2 or more than 10 run ids",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "An unknown run id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RunComparisonView compare(@Parameter(description = "Comma-separated run ids, e.g. run-a,run-b")
                                     @QueryParam("ids") String ids) {
        return views.compare(runIds(ids));
    }

    /** @throws ProblemException 400 unless there are 2 to {@value #MAX_RUNS} distinct ids */
    public static List<String> runIds(String ids) {
        List<String> list = ids == null ? List.of() : List.copyOf(new LinkedHashSet<>(Arrays.stream(ids.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList()));
        if (list.size() < 2 || list.size() > MAX_RUNS) {
            throw ProblemException.badRequest("Query parameter 'ids' names " + list.size() + " distinct run(s) ("
                    + (ids == null ? "none" : "'" + ids + "'") + "); give 2 to " + MAX_RUNS
                    + " comma-separated run ids");
        }
        return list;
    }
}
