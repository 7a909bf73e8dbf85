package io.tuneforge.eval.rest;

import io.tuneforge.contracts.Json;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Errors of {@code /api/evaluations} as {@code application/problem+json}. (The OpenAI-compatible {@code /v1}
 * routes answer in OpenAI's own error shape instead, see {@code inference.OpenAiRoutes}.)
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return response(e.status(), e.title(), e.getMessage(), uri, e.code());
    }

    @ServerExceptionMapper
    public Response framework(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String detail = status == 404 ? "No resource at " + uri.getPath() + "; see /q/openapi for the API"
                : e.getMessage();
        return response(status, type != null ? type.getReasonPhrase() : "HTTP " + status, detail, uri, null);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.errorf(e, "Request %s failed", uri.getPath());
        return response(500, "Internal Server Error", "eval-service could not answer " + uri.getPath()
                + "; the service log has the cause", uri, null);
    }

    static Response response(int status, String title, String detail, UriInfo uri, String code) {
        Problem problem = new Problem("about:blank", title, status, detail, uri.getPath(), code);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(Json.write(problem)).build();
    }
}
