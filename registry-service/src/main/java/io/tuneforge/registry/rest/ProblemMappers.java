package io.tuneforge.registry.rest;

import io.tuneforge.contracts.Json;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.hibernate.exception.JDBCConnectionException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error of the API as {@code application/problem+json} (RFC 9457): our own {@link ProblemException}s,
 * the framework's (unknown path, bad path parameter, wrong method), an unreachable database (503) and anything
 * unexpected (500, details in the log only).
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return response(e.status(), e.title(), e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response framework(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type != null ? type.getReasonPhrase() : "HTTP " + status;
        String detail = status == 404
                ? "No resource at " + uri.getPath() + "; see /q/openapi for the API"
                : e.getMessage();
        return response(status, title, detail, uri);
    }

    /** PostgreSQL is unreachable: a temporary condition, said as such (503 with Retry-After), without a stack trace. */
    @ServerExceptionMapper
    public Response databaseUnreachable(JDBCConnectionException e, UriInfo uri) {
        String cause = e.getSQLException() != null ? e.getSQLException().getMessage() : e.getMessage();
        LOG.warnf("Request %s: database unreachable: %s", uri.getPath(), cause);
        Response problem = response(503, "Service Unavailable", "The registry's database is unreachable (" + cause
                + "); try again shortly. /q/health/ready shows when it is back.", uri);
        return Response.fromResponse(problem).header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.errorf(e, "Request %s failed", uri.getPath());
        return response(500, "Internal Server Error",
                "The registry could not answer " + uri.getPath() + "; the service log has the cause", uri);
    }

    static Response response(int status, String title, String detail, UriInfo uri) {
        Problem problem = new Problem("about:blank", title, status, detail, uri.getPath());
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(Json.write(problem)).build();
    }
}
