package io.tuneforge.data.rest;

import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.data.service.InvalidSettingsException;
import io.tuneforge.dataprep.PipelineException;
import io.tuneforge.storage.StorageException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.Locale;

/**
 * Every error of the API as {@code application/problem+json} (RFC 9457): the pipeline's refusals (400 for
 * INVALID_SETTINGS, 422 for EMPTY_INPUT, UNKNOWN_FORMAT and CORRUPT_INPUT), our own {@link ProblemException}s, the
 * framework's (unknown path, wrong method, 413), an unreachable object store (503) and anything unexpected (500,
 * details in the log only).
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final UploadSizeLimit sizeLimit;

    public ProblemMappers(UploadSizeLimit sizeLimit) {
        this.sizeLimit = sizeLimit;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return response(e.status(), e.code(), e.getMessage(), e.errors(), uri);
    }

    @ServerExceptionMapper
    public Response pipeline(PipelineException e, UriInfo uri) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof UploadSizeLimit.UploadTooLargeException) {
                Problem problem = sizeLimit.problem(uri.getPath(), "the request body (chunked) grew");
                return Response.status(413).type(Problem.MEDIA_TYPE).header("Connection", "close")
                        .entity(Json.write(problem)).build();
            }
        }
        int status = switch (e.code()) {
            case INVALID_SETTINGS -> 400;
            case EMPTY_INPUT, UNKNOWN_FORMAT, CORRUPT_INPUT -> 422;
            case IO_ERROR -> 500;
        };
        if (e.code() == PipelineException.Code.IO_ERROR) {
            LOG.warnf(e, "Request %s: %s", uri.getPath(), e.getMessage());
        }
        List<FieldError> errors = e.code() == PipelineException.Code.INVALID_SETTINGS
                ? List.of(new FieldError("settings", e.getMessage())) : List.of();
        return response(status, e.code().name(), e.getMessage() + "; nothing was published", errors, uri);
    }

    @ServerExceptionMapper
    public Response settings(InvalidSettingsException e, UriInfo uri) {
        int n = e.errors().size();
        String detail = n + " invalid setting" + (n == 1 ? "" : "s") + " ("
                + String.join(", ", e.errors().stream().map(FieldError::path).toList())
                + "; each with its reason in errors); nothing was read or published";
        return response(400, PipelineException.Code.INVALID_SETTINGS.name(), detail, e.errors(), uri);
    }

    @ServerExceptionMapper
    public Response framework(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String detail = switch (status) {
            case 404 -> "No resource at " + uri.getPath() + "; see /q/openapi for the API";
            case 413 -> "The request body is larger than quarkus.http.limits.max-body-size allows; upload a smaller"
                    + " file (split it, or gzip it) or raise the limit";
            default -> e.getMessage();
        };
        return response(status, status == 413 ? "PAYLOAD_TOO_LARGE" : "HTTP_" + status, detail, List.of(), uri);
    }

    /** The object store is unreachable: a temporary condition (503 with Retry-After). */
    @ServerExceptionMapper
    public Response storage(StorageException e, UriInfo uri) {
        LOG.warnf("Request %s: object store: %s", uri.getPath(), e.getMessage());
        Response problem = response(503, "STORE_UNAVAILABLE", "The object store did not answer (" + e.getMessage()
                + "); try again shortly. /q/health/ready shows when it is back.", List.of(), uri);
        return Response.fromResponse(problem).header("Retry-After", "5").build();
    }

    /** A run whose dedup index outgrew the heap: the sink was aborted and the index is garbage again. */
    @ServerExceptionMapper
    public Response outOfMemory(OutOfMemoryError e, UriInfo uri) {
        LOG.errorf("Request %s ran out of heap (%s); the run was aborted", uri.getPath(), e.getMessage());
        return response(500, "OUT_OF_MEMORY", "data-service ran out of heap while preparing this upload; its dedup"
                + " and split index grows with the kept records (about 700 MB of heap per million kept records with near dedup): upload in"
                + " parts, set nearDedup=false, or give the service more heap; nothing was published (GET"
                + " /api/datasets/jobs shows how far it got)", List.of(), uri);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.errorf(e, "Request %s failed", uri.getPath());
        return response(500, "INTERNAL_ERROR", "data-service could not answer " + uri.getPath()
                + "; the service log has the cause", List.of(), uri);
    }

    static Response response(int status, String code, String detail, List<FieldError> errors, UriInfo uri) {
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type != null ? type.getReasonPhrase() : status == 422 ? "Unprocessable Content" : "HTTP " + status;
        String problemType = code == null || code.startsWith("HTTP_") ? "about:blank"
                : "urn:tuneforge:problem:" + code.toLowerCase(Locale.ROOT).replace('_', '-');
        Problem problem = new Problem(problemType, title, status, detail, uri.getPath(), code, errors);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(Json.write(problem)).build();
    }
}
