package io.tuneforge.registry.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.tuneforge.registry.security.ApiTokens;
import io.tuneforge.registry.security.CreatedToken;
import io.tuneforge.registry.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;

/** API tokens (admin only): create one (shown once), list them (never the token), revoke one. */
@Path("/api/tokens")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "Access", description = "API tokens with reader, writer or admin role")
public class TokenResource {

    private final ApiTokens tokens;
    private final SecurityIdentity identity;

    public TokenResource(ApiTokens tokens, SecurityIdentity identity) {
        this.tokens = tokens;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a token; the answer is the only place the token appears")
    @APIResponse(responseCode = "201", description = "Created")
    public Response create(TokenRequest body) {
        if (body == null) {
            throw ProblemException.badRequest("Send {\"name\": \"ci\", \"role\": \"writer\"} (role: reader, writer"
                    + " or admin)");
        }
        CreatedToken created;
        try {
            created = tokens.create(body.name(), body.role(), Caller.name(identity));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
        return Response.created(URI.create("/api/tokens/" + created.id())).entity(created).build();
    }

    @GET
    @Operation(summary = "Every token, newest first, without the secrets")
    public List<TokenView> list() {
        return tokens.list().stream().map(TokenView::from).toList();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke a token; it authenticates no one from now on")
    @APIResponse(responseCode = "204", description = "Revoked")
    public void revoke(@PathParam("id") long id) {
        if (!tokens.revoke(id, Caller.name(identity))) {
            throw ProblemException.notFound("No API token with id " + id + "; GET /api/tokens lists them");
        }
    }
}
