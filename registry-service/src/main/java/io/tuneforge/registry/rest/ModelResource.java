package io.tuneforge.registry.rest;

import io.tuneforge.registry.lineage.LineageGraph;
import io.tuneforge.registry.lineage.LineageService;
import io.tuneforge.registry.persistence.ModelVersionEntity;
import io.tuneforge.registry.persistence.TagTarget;
import io.tuneforge.registry.security.Roles;
import io.tuneforge.registry.service.ArtifactLink;
import io.tuneforge.registry.service.ArtifactLinks;
import io.tuneforge.registry.service.ModelRegistry;
import io.tuneforge.registry.service.TagService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
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

import java.util.List;
import java.util.Map;

/** Registered models, their versions, aliases, tags, lineage and artifacts (MLflow's model registry). */
@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.READER, Roles.WRITER, Roles.ADMIN})
@Tag(name = "Models", description = "Registered models, versions, aliases and tags")
public class ModelResource {

    private final RegistryViews views;
    private final ModelRegistry registry;
    private final TagService tags;
    private final LineageService lineage;
    private final ArtifactLinks links;
    private final Paging paging;

    public ModelResource(RegistryViews views, ModelRegistry registry, TagService tags, LineageService lineage,
                         ArtifactLinks links, Paging paging) {
        this.views = views;
        this.registry = registry;
        this.tags = tags;
        this.lineage = lineage;
        this.links = links;
        this.paging = paging;
    }

    @GET
    @Operation(summary = "Search registered models, most recently updated first")
    @APIResponse(responseCode = "200", description = "One page of models")
    @APIResponse(responseCode = "400", description = "Bad page, size or tag filter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PageView<ModelSummaryView> list(
            @Parameter(description = "Zero-based page index") @QueryParam("page") Integer page,
            @Parameter(description = "Models per page") @QueryParam("size") Integer size,
            @Parameter(description = "Only names containing this text (case-insensitive)") @QueryParam("q") String q,
            @Parameter(description = "Only models with this tag: 'key' or 'key=value'") @QueryParam("tag") String tag) {
        String tagKey = null;
        String tagValue = null;
        if (tag != null && !tag.isBlank()) {
            int eq = tag.indexOf('=');
            tagKey = eq < 0 ? tag.trim() : tag.substring(0, eq).trim();
            tagValue = eq < 0 ? null : tag.substring(eq + 1);
            if (tagKey.isEmpty()) {
                throw ProblemException.badRequest("Query parameter 'tag' is '" + tag + "'; expected 'key' or"
                        + " 'key=value'");
            }
        }
        return views.models(q, tagKey, tagValue, paging.page(page), paging.size(size));
    }

    @GET
    @Path("{name}")
    @Operation(summary = "One model with its aliases, tags and versions")
    @APIResponse(responseCode = "404", description = "No such model",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ModelDetailView get(@PathParam("name") String name) {
        return views.model(name);
    }

    @GET
    @Path("{name}/versions")
    @Operation(summary = "The model's versions, newest first")
    public PageView<ModelVersionView> versions(@PathParam("name") String name,
                                               @QueryParam("page") Integer page, @QueryParam("size") Integer size,
                                               @Parameter(description = "PENDING_REGISTRATION, FAILED_REGISTRATION or READY")
                                               @QueryParam("status") String status) {
        registry.requireModel(name);
        return views.versions(name, VersionResource.status(status), null, paging.page(page), paging.size(size));
    }

    @GET
    @Path("{name}/versions/{version}")
    @Operation(summary = "One version: source, base model, run, status, metrics, aliases, latest evaluation")
    @APIResponse(responseCode = "404", description = "No such model or version",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ModelVersionView version(@PathParam("name") String name, @PathParam("version") int version) {
        return views.version(name, version);
    }

    @GET
    @Path("{name}/aliases/{alias}")
    @Operation(summary = "The version an alias points at")
    public ModelVersionView byAlias(@PathParam("name") String name, @PathParam("alias") String alias) {
        return views.versionByAlias(name, alias);
    }

    @PUT
    @Path("{name}/aliases/{alias}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.WRITER, Roles.ADMIN})
    @Operation(summary = "Point an alias (champion, challenger, any name) at a version; emits AliasSet")
    @APIResponse(responseCode = "200", description = "The alias as set")
    @APIResponse(responseCode = "400", description = "Bad alias name or no version in the body",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such model or version",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public AliasView setAlias(@PathParam("name") String name, @PathParam("alias") String alias, AliasRequest body) {
        if (body == null || body.version() == null) {
            throw ProblemException.badRequest("Send the version the alias should point at: {\"version\": 3}");
        }
        return AliasView.from(registry.setAlias(name, alias, body.version()));
    }

    @DELETE
    @Path("{name}/aliases/{alias}")
    @RolesAllowed({Roles.WRITER, Roles.ADMIN})
    @Operation(summary = "Remove an alias")
    @APIResponse(responseCode = "204", description = "Removed")
    public void deleteAlias(@PathParam("name") String name, @PathParam("alias") String alias) {
        registry.deleteAlias(name, alias);
    }

    @PUT
    @Path("{name}/tags/{key}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.WRITER, Roles.ADMIN})
    @Operation(summary = "Set a tag on the model; answers all its tags")
    public Map<String, String> setTag(@PathParam("name") String name, @PathParam("key") String key, TagRequest body) {
        return tags.set(TagTarget.MODEL, name, key, body == null ? null : body.value());
    }

    @DELETE
    @Path("{name}/tags/{key}")
    @RolesAllowed({Roles.WRITER, Roles.ADMIN})
    @Operation(summary = "Remove a tag from the model")
    @APIResponse(responseCode = "204", description = "Removed")
    public void deleteTag(@PathParam("name") String name, @PathParam("key") String key) {
        tags.delete(TagTarget.MODEL, name, key);
    }

    @PUT
    @Path("{name}/versions/{version}/tags/{key}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.WRITER, Roles.ADMIN})
    @Operation(summary = "Set a tag on a version; answers all its tags")
    public Map<String, String> setVersionTag(@PathParam("name") String name, @PathParam("version") int version,
                                             @PathParam("key") String key, TagRequest body) {
        return tags.set(TagTarget.VERSION, TagTarget.versionKey(name, version), key,
                body == null ? null : body.value());
    }

    @DELETE
    @Path("{name}/versions/{version}/tags/{key}")
    @RolesAllowed({Roles.WRITER, Roles.ADMIN})
    @Operation(summary = "Remove a tag from a version")
    @APIResponse(responseCode = "204", description = "Removed")
    public void deleteVersionTag(@PathParam("name") String name, @PathParam("version") int version,
                                 @PathParam("key") String key) {
        tags.delete(TagTarget.VERSION, TagTarget.versionKey(name, version), key);
    }

    @GET
    @Path("{name}/lineage")
    @Operation(summary = "Lineage of every version: dataset version → run → model version → evaluation")
    public LineageGraph modelLineage(@PathParam("name") String name) {
        registry.requireModel(name);
        return lineage.ofModel(name);
    }

    @GET
    @Path("{name}/versions/{version}/lineage")
    @Operation(summary = "Lineage of one version")
    public LineageGraph versionLineage(@PathParam("name") String name, @PathParam("version") int version) {
        return lineage.ofVersion(views.versionEntity(name, version));
    }

    @GET
    @Path("{name}/versions/{version}/artifacts")
    @Operation(summary = "The version's files with presigned download links")
    @APIResponse(responseCode = "503", description = "The object store is not configured or does not answer",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<ArtifactLink> artifacts(@PathParam("name") String name, @PathParam("version") int version) {
        ModelVersionEntity v = views.versionEntity(name, version);
        return links.under(v.sourceUri, file -> true);
    }
}
