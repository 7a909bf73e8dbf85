package io.tuneforge.registry.ui;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/** The service's front door: {@code /} and {@code /ui} lead to the models list. */
@Path("/")
@PermitAll
public class UiRoot {

    @GET
    public Response root() {
        return Response.seeOther(URI.create("/ui/models")).build();
    }

    @GET
    @Path("ui")
    public Response ui() {
        return Response.seeOther(URI.create("/ui/models")).build();
    }
}
