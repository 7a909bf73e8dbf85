package io.tuneforge.registry.ui;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.tuneforge.registry.persistence.ModelVersionEntity;
import io.tuneforge.registry.rest.ModelDetailView;
import io.tuneforge.registry.rest.ModelSummaryView;
import io.tuneforge.registry.rest.PageView;
import io.tuneforge.registry.rest.Paging;
import io.tuneforge.registry.rest.ProblemException;
import io.tuneforge.registry.rest.RegistryViews;
import io.tuneforge.registry.security.Roles;
import io.tuneforge.registry.service.ArtifactLinks;
import io.tuneforge.registry.service.ModelRegistry;
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
import java.util.Map;

/** Pages: the models list, a model with its versions, aliases, metrics and lineage; alias forms; downloads. */
@Path("/ui/models")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Roles.READER, Roles.WRITER, Roles.ADMIN})
public class ModelPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(Chrome chrome, PageView<ModelSummaryView> models, String q);

        static native TemplateInstance model(Chrome chrome, ModelDetailView model, String notice, String error);
    }

    private final RegistryViews views;
    private final ModelRegistry registry;
    private final ArtifactLinks links;
    private final Paging paging;
    private final UiContext ui;
    private final SecurityIdentity identity;

    public ModelPages(RegistryViews views, ModelRegistry registry, ArtifactLinks links, Paging paging, UiContext ui,
                      SecurityIdentity identity) {
        this.views = views;
        this.registry = registry;
        this.links = links;
        this.paging = paging;
        this.ui = ui;
        this.identity = identity;
    }

    @GET
    public TemplateInstance list(@QueryParam("q") String q, @QueryParam("page") Integer page) {
        String text = q == null || q.isBlank() ? null : q.trim();
        return Templates.list(ui.chrome(identity, "Models", "models"),
                views.models(text, null, null, paging.page(page), paging.size(50)), text == null ? "" : text);
    }

    @GET
    @Path("{name}")
    public TemplateInstance model(@PathParam("name") String name, @QueryParam("notice") String notice,
                                  @QueryParam("error") String error) {
        return Templates.model(ui.chrome(identity, name, "models"), views.model(name), notice, error);
    }

    @POST
    @Path("{name}/aliases")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Roles.WRITER, Roles.ADMIN})
    public Response setAlias(@PathParam("name") String name, @FormParam("alias") String alias,
                             @FormParam("version") Integer version) {
        try {
            if (version == null) {
                throw ProblemException.badRequest("Choose the version the alias should point at");
            }
            registry.setAlias(name, alias == null ? null : alias.trim(), version);
            return back(name, Map.of("notice", "Alias " + alias.trim() + " now points at version " + version));
        } catch (ProblemException e) {
            return back(name, Map.of("error", e.getMessage()));
        }
    }

    @POST
    @Path("{name}/aliases/{alias}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Roles.WRITER, Roles.ADMIN})
    public Response deleteAlias(@PathParam("name") String name, @PathParam("alias") String alias) {
        try {
            registry.deleteAlias(name, alias);
            return back(name, Map.of("notice", "Alias " + alias + " removed"));
        } catch (ProblemException e) {
            return back(name, Map.of("error", e.getMessage()));
        }
    }

    /** Sends the browser to a presigned link of one file of the version (the link is not written into pages). */
    @GET
    @Path("{name}/versions/{version}/files/{file: .+}")
    public Response download(@PathParam("name") String name, @PathParam("version") int version,
                             @PathParam("file") String file) {
        ModelVersionEntity v = views.versionEntity(name, version);
        return Response.seeOther(URI.create(links.link(v.sourceUri, file))).build();
    }

    private static Response back(String name, Map<String, String> message) {
        Map.Entry<String, String> m = message.entrySet().iterator().next();
        return Response.seeOther(URI.create("/ui/models/" + UiFormat.urlPart(name) + "?" + m.getKey() + "="
                + UiFormat.urlPart(m.getValue()))).build();
    }
}
