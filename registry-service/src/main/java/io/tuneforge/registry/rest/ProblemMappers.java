package io.tuneforge.registry.rest;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.tuneforge.contracts.Json;
import io.tuneforge.registry.security.ApiTokenMechanism;
import io.tuneforge.registry.ui.UiErrors;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.hibernate.exception.JDBCConnectionException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Every error of the API as {@code application/problem+json} (RFC 9457): our own {@link ProblemException}s (with
 * every bad field for {@link InvalidRequestException}), missing or refused credentials (401, 403), the framework's
 * (unknown path, bad path parameter, wrong method), an unreachable database (503) and anything unexpected (500,
 * details in the log only). A browser page ({@code /ui/...}) that needs a sign-in is sent to the sign-in page instead.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    static final String CHALLENGE = "Bearer realm=\"tuneforge-registry\"";

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        if (isPage(uri)) {
            return UiErrors.page(e.status(), e.title(), e.getMessage());
        }
        if (e instanceof InvalidRequestException invalid) {
            ValidationProblem problem = new ValidationProblem("about:blank", e.title(), e.status(), e.getMessage(),
                    uri.getPath(), invalid.errors(), invalid.warnings());
            return Response.status(e.status()).type(Problem.MEDIA_TYPE).entity(Json.write(problem)).build();
        }
        return response(e.status(), e.title(), e.getMessage(), uri);
    }

    /** No credentials where a role is needed. */
    @ServerExceptionMapper(priority = 1)
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        if (isPage(uri)) {
            return signIn(uri);
        }
        return Response.fromResponse(response(401, "Unauthorized", "This needs credentials: send"
                        + " 'Authorization: Bearer <API token>' (or an OIDC access token when OIDC is configured)", uri))
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build();
    }

    /** Credentials that do not check out (unknown or revoked token, bad JWT). */
    @ServerExceptionMapper(priority = 1)
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        if (isPage(uri)) {
            return signIn(uri);
        }
        String reason = e.getMessage() == null || e.getMessage().isBlank()
                ? "The credentials were refused; check the token" : e.getMessage();
        return Response.fromResponse(response(401, "Unauthorized", reason, uri))
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build();
    }

    /** Valid credentials without the role the endpoint needs. */
    @ServerExceptionMapper(priority = 1)
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        if (isPage(uri)) {
            return UiErrors.page(403, "Forbidden", "This needs the writer or admin role. Sign in with a token that"
                    + " has it.");
        }
        return response(403, "Forbidden", "Your credentials do not allow this: it needs the writer or admin role"
                + " (token administration needs admin)", uri);
    }

    @ServerExceptionMapper
    public Response framework(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type != null ? type.getReasonPhrase() : "HTTP " + status;
        String detail = status == 404
                ? "No resource at " + uri.getPath() + "; see /q/openapi for the API"
                : e.getMessage();
        if (isPage(uri)) {
            return UiErrors.page(status, title, status == 404 ? "There is no page at " + uri.getPath() : detail);
        }
        return response(status, title, detail, uri);
    }

    /** PostgreSQL is unreachable: a temporary condition, said as such (503 with Retry-After), without a stack trace. */
    @ServerExceptionMapper
    public Response databaseUnreachable(JDBCConnectionException e, UriInfo uri) {
        String cause = e.getSQLException() != null ? e.getSQLException().getMessage() : e.getMessage();
        LOG.warnf("Request %s: database unreachable: %s", uri.getPath(), cause);
        if (isPage(uri)) {
            return Response.fromResponse(UiErrors.page(503, "Service Unavailable", "The registry's database is"
                    + " unreachable; try again shortly.")).header("Retry-After", "5").build();
        }
        Response problem = response(503, "Service Unavailable", "The registry's database is unreachable (" + cause
                + "); try again shortly. /q/health/ready shows when it is back.", uri);
        return Response.fromResponse(problem).header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.errorf(e, "Request %s failed", uri.getPath());
        if (isPage(uri)) {
            return UiErrors.page(500, "Internal Server Error", "The page could not be made; the service log has the"
                    + " cause.");
        }
        return response(500, "Internal Server Error",
                "The registry could not answer " + uri.getPath() + "; the service log has the cause", uri);
    }

    static Response response(int status, String title, String detail, UriInfo uri) {
        Problem problem = new Problem("about:blank", title, status, detail, uri.getPath());
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(Json.write(problem)).build();
    }

    private static boolean isPage(UriInfo uri) {
        return uri.getPath().startsWith("/ui");
    }

    /** To the sign-in page, dropping a sign-in cookie that no longer works. */
    private static Response signIn(UriInfo uri) {
        String next = URLEncoder.encode(uri.getPath(), StandardCharsets.UTF_8);
        return Response.seeOther(URI.create("/ui/login?next=" + next))
                .cookie(new NewCookie.Builder(ApiTokenMechanism.COOKIE).value("").path("/").maxAge(0).httpOnly(true)
                        .sameSite(NewCookie.SameSite.STRICT).build())
                .build();
    }
}
