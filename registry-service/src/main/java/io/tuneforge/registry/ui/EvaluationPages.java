package io.tuneforge.registry.ui;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.tuneforge.registry.config.RegistryConfig;
import io.tuneforge.registry.rest.EvaluationView;
import io.tuneforge.registry.rest.ProblemException;
import io.tuneforge.registry.rest.RegistryViews;
import io.tuneforge.registry.security.Roles;
import io.tuneforge.registry.service.ArtifactLinks;
import io.tuneforge.registry.service.EvaluationSample;
import io.tuneforge.registry.service.EvaluationSamples;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.List;

/** Page: an evaluation with base vs tuned metrics and the sample outputs side by side. */
@Path("/ui/evaluations")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Roles.READER, Roles.WRITER, Roles.ADMIN})
public class EvaluationPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance evaluation(Chrome chrome, EvaluationView evaluation,
                                                  List<EvaluationSample> samples, String samplesProblem);
    }

    private final RegistryViews views;
    private final EvaluationSamples samples;
    private final ArtifactLinks links;
    private final RegistryConfig config;
    private final UiContext ui;
    private final SecurityIdentity identity;

    public EvaluationPages(RegistryViews views, EvaluationSamples samples, ArtifactLinks links, RegistryConfig config,
                           UiContext ui, SecurityIdentity identity) {
        this.views = views;
        this.samples = samples;
        this.links = links;
        this.config = config;
        this.ui = ui;
        this.identity = identity;
    }

    @GET
    @Path("{evalId}")
    public TemplateInstance evaluation(@PathParam("evalId") String evalId) {
        EvaluationView e = views.evaluation(evalId);
        List<EvaluationSample> shown = List.of();
        String problem = null;
        if (e.samplesUri() != null) {
            try {
                shown = samples.read(e.samplesUri(), config.ui().maxSamples());
            } catch (ProblemException x) {
                problem = x.getMessage();
            }
        }
        return Templates.evaluation(ui.chrome(identity, "Evaluation " + evalId, "models"), e, shown, problem);
    }

    /** Sends the browser to a presigned link of the report or the samples file. */
    @GET
    @Path("{evalId}/files/{which}")
    public Response download(@PathParam("evalId") String evalId, @PathParam("which") String which) {
        EvaluationView e = views.evaluation(evalId);
        String uri = switch (which) {
            case "report" -> e.reportUri();
            case "samples" -> e.samplesUri();
            default -> throw ProblemException.notFound("Evaluations have files 'report' and 'samples', not '"
                    + which + "'");
        };
        if (uri == null) {
            throw ProblemException.notFound("Evaluation '" + evalId + "' has no " + which + " file");
        }
        return Response.seeOther(URI.create(links.link(uri))).build();
    }
}
