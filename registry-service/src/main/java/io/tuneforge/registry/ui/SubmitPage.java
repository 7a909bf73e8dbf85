package io.tuneforge.registry.ui;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.contracts.training.EvaluationSettings;
import io.tuneforge.contracts.training.ExportSettings;
import io.tuneforge.contracts.training.Hyperparameters;
import io.tuneforge.contracts.training.LoraSettings;
import io.tuneforge.contracts.training.ParsedTrainingRequest;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.contracts.training.TrainingRequests;
import io.tuneforge.registry.rest.Caller;
import io.tuneforge.registry.rest.ProblemException;
import io.tuneforge.registry.security.Roles;
import io.tuneforge.registry.service.RunSubmissions;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.List;

/**
 * Page: the form that submits a training request. The server validates with {@code TrainingRequests.parse} (the
 * platform's one validator) and shows each message next to its field; a valid request is published like
 * {@code POST /api/runs} and the browser goes to the new run's page.
 */
@Path("/ui/submit")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Roles.READER, Roles.WRITER, Roles.ADMIN})
public class SubmitPage {

    /** The choices the form offers. */
    public record Options(List<String> methods, List<String> adapters, List<String> targets, List<String> metrics,
                          List<String> schedulers, List<String> gguf) {
    }

    static final Options OPTIONS = new Options(List.of("sft", "dpo", "orpo"), List.of("lora", "qlora", "none"),
            LoraSettings.ALL_TARGETS, EvaluationSettings.KNOWN_METRICS, Hyperparameters.SCHEDULERS,
            ExportSettings.GGUF_TYPES);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance form(Chrome chrome, SubmitForm form, Options options, String problem);
    }

    private final RunSubmissions submissions;
    private final UiContext ui;
    private final SecurityIdentity identity;

    public SubmitPage(RunSubmissions submissions, UiContext ui, SecurityIdentity identity) {
        this.submissions = submissions;
        this.ui = ui;
        this.identity = identity;
    }

    @GET
    public TemplateInstance form() {
        return Templates.form(ui.chrome(identity, "New training run", "submit"), SubmitForm.blank(), OPTIONS, null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Roles.WRITER, Roles.ADMIN})
    public Response submit(MultivaluedMap<String, String> posted) {
        SubmitForm form = SubmitForm.of(posted);
        ParsedTrainingRequest parsed = TrainingRequests.parse(form.toJson());
        form.report(parsed.errors(), parsed.warnings());
        if (form.hasErrors() || !parsed.isValid()) {
            if (!form.hasErrors()) {
                form.report(List.of(new FieldError("$", parsed.describeErrors())), List.of());
            }
            return page(form, null, 400);
        }
        try {
            EventEnvelope<TrainingRequest> command = submissions.submit(parsed.request(), Caller.name(identity));
            return Response.seeOther(URI.create("/ui/runs/" + UiFormat.urlPart(command.data().runId())
                    + "?notice=" + UiFormat.urlPart("Submitted; trainer-service validates and queues it next"))).build();
        } catch (ProblemException e) {
            return page(form, e.getMessage(), e.status());
        }
    }

    private Response page(SubmitForm form, String problem, int status) {
        TemplateInstance page = Templates.form(ui.chrome(identity, "New training run", "submit"), form, OPTIONS,
                problem);
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).entity(page).build();
    }
}
