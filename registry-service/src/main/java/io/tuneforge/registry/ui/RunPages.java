package io.tuneforge.registry.ui;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.contracts.training.TrainingStatus;
import io.tuneforge.registry.persistence.RunFilter;
import io.tuneforge.registry.rest.CompareResource;
import io.tuneforge.registry.rest.Caller;
import io.tuneforge.registry.rest.PageView;
import io.tuneforge.registry.rest.Paging;
import io.tuneforge.registry.rest.ProblemException;
import io.tuneforge.registry.rest.RegistryViews;
import io.tuneforge.registry.rest.RunComparisonView;
import io.tuneforge.registry.rest.RunDetailView;
import io.tuneforge.registry.rest.RunSummaryView;
import io.tuneforge.registry.security.Roles;
import io.tuneforge.registry.service.ArtifactLinks;
import io.tuneforge.registry.service.RunSubmissions;
import io.tuneforge.servicekit.storage.StorageConfig;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Pages: the runs list (live), a run with its curves (live), cancelling, comparing runs, run downloads. */
@Path("/ui")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Roles.READER, Roles.WRITER, Roles.ADMIN})
public class RunPages {

    /** Status filters offered above the runs list. */
    public static final List<String> STATUSES = Arrays.stream(TrainingStatus.values()).map(TrainingStatus::wireName)
            .toList();

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance runs(Chrome chrome, PageView<RunSummaryView> runs, String status,
                                            List<String> statuses, String q);

        static native TemplateInstance run(Chrome chrome, RunDetailView run, long progressReports,
                                           String requestJson, Map<String, Long> files, String filesProblem,
                                           String notice, String error);

        static native TemplateInstance compare(Chrome chrome, RunComparisonView comparison, String ids,
                                               String error);
    }

    private final RegistryViews views;
    private final RunSubmissions submissions;
    private final ArtifactLinks links;
    private final StorageConfig storage;
    private final Paging paging;
    private final UiContext ui;
    private final SecurityIdentity identity;

    public RunPages(RegistryViews views, RunSubmissions submissions, ArtifactLinks links, StorageConfig storage,
                    Paging paging, UiContext ui, SecurityIdentity identity) {
        this.views = views;
        this.submissions = submissions;
        this.links = links;
        this.storage = storage;
        this.paging = paging;
        this.ui = ui;
        this.identity = identity;
    }

    @GET
    @Path("runs")
    public TemplateInstance runs(@QueryParam("status") String status, @QueryParam("q") String q,
                                 @QueryParam("page") Integer page) {
        TrainingStatus filter = null;
        if (status != null && !status.isBlank()) {
            try {
                filter = TrainingStatus.fromWire(status.trim());
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("Status '" + status + "' is not one of " + STATUSES);
            }
        }
        String text = q == null || q.isBlank() ? null : q.trim();
        PageView<RunSummaryView> runs = views.runs(new RunFilter(filter, null, null, null, text), paging.page(page),
                paging.size(50));
        return Templates.runs(ui.chrome(identity, "Runs", "runs"), runs, filter == null ? "" : filter.wireName(),
                STATUSES, text == null ? "" : text);
    }

    @GET
    @Path("runs/{runId}")
    public TemplateInstance run(@PathParam("runId") String runId, @QueryParam("notice") String notice,
                                @QueryParam("error") String error) {
        RunDetailView run = views.run(runId);
        Map<String, Long> files = Map.of();
        String filesProblem = null;
        try {
            files = links.files(runPrefix(runId), f -> !f.startsWith("checkpoints/"));
        } catch (ProblemException e) {
            filesProblem = e.getMessage();
        }
        String requestJson = run.request() == null ? null : run.request().toPrettyString();
        long progressReports = run.events().stream().filter(e -> e.type().endsWith(".progress")).count();
        return Templates.run(ui.chrome(identity, runId, "runs"), run, progressReports, requestJson, files,
                filesProblem, notice, error);
    }

    @POST
    @Path("runs/{runId}/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Roles.WRITER, Roles.ADMIN})
    public Response cancel(@PathParam("runId") String runId, @FormParam("reason") String reason) {
        String target = "/ui/runs/" + UiFormat.urlPart(runId);
        try {
            submissions.cancel(runId, reason, Caller.name(identity));
            return Response.seeOther(URI.create(target + "?notice="
                    + UiFormat.urlPart("Cancellation requested; the trainer stops after its current step"))).build();
        } catch (ProblemException e) {
            return Response.seeOther(URI.create(target + "?error=" + UiFormat.urlPart(e.getMessage()))).build();
        }
    }

    @GET
    @Path("runs/{runId}/files/{file: .+}")
    public Response download(@PathParam("runId") String runId, @PathParam("file") String file) {
        views.run(runId);
        return Response.seeOther(URI.create(links.link(runPrefix(runId), file))).build();
    }

    @GET
    @Path("compare")
    public TemplateInstance compare(@QueryParam("ids") List<String> ids) {
        String joined = ids == null ? "" : String.join(",", ids);
        Chrome chrome = ui.chrome(identity, "Compare runs", "compare");
        try {
            return Templates.compare(chrome, views.compare(CompareResource.runIds(joined)), joined, null);
        } catch (ProblemException e) {
            return Templates.compare(chrome, null, joined, joined.isBlank() ? null : e.getMessage());
        }
    }

    private String runPrefix(String runId) {
        return ObjectKeys.uri(storage.bucket(), ObjectKeys.runPrefix(runId));
    }
}
