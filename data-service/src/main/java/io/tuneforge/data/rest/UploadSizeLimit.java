package io.tuneforge.data.rest;

import io.quarkus.runtime.configuration.MemorySize;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.event.FieldError;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The upload size limit is Quarkus' {@code quarkus.http.limits.max-body-size}; this makes its 413 say so, as
 * problem+json, instead of an empty body:
 * <ul>
 *   <li>a declared {@code Content-Length} over the limit is answered before any of the body is read (a route placed
 *       before Quarkus' own check);</li>
 *   <li>a chunked body (no length) is counted as the pipeline reads it ({@link #limit(InputStream)}); past the limit
 *       the run fails with {@link UploadTooLargeException}, nothing is published, and the answer is the same 413.
 *       For that, Quarkus' own byte count on such uploads is switched off (it would end the response with an empty
 *       413 while the pipeline still runs).</li>
 * </ul>
 */
@ApplicationScoped
public class UploadSizeLimit {

    /** Where Quarkus (VertxInputStream) looks up the limit of a request body; removed for chunked uploads. */
    static final String QUARKUS_LIMIT_KEY = "io.quarkus.max-request-size";
    static final String PREFIX = "/api/datasets/";

    private final Optional<MemorySize> maxBodySize;

    public UploadSizeLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    /** The limit in bytes, or -1 for none. */
    public long bytes() {
        return maxBodySize.map(MemorySize::asLongValue).orElse(-1L);
    }

    void routes(@Observes Router router) {
        router.route().order(-3).handler(this::declaredLength);   // Quarkus checks Content-Length at order -2
        router.route().order(-1).handler(this::chunked);          // after Quarkus put its limit in the context
    }

    private void declaredLength(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (isUpload(ctx) && length != null && bytes() >= 0) {
            try {
                long declared = Long.parseLong(length.trim());
                if (declared > bytes()) {
                    ctx.response().endHandler(v -> ctx.request().connection().close());
                    ctx.response().setStatusCode(413)
                            .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                            .putHeader(HttpHeaders.CONNECTION, "close")
                            .end(Json.write(problem(ctx.normalizedPath(), "the request body is " + declared
                                    + " bytes (Content-Length)")));
                    return;
                }
            } catch (NumberFormatException e) {
                // Quarkus answers a malformed length
            }
        }
        ctx.next();
    }

    private void chunked(RoutingContext ctx) {
        if (isUpload(ctx) && ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH) == null && bytes() >= 0) {
            ctx.remove(QUARKUS_LIMIT_KEY);
        }
        ctx.next();
    }

    private static boolean isUpload(RoutingContext ctx) {
        return ctx.request().method() == HttpMethod.POST && ctx.normalizedPath().startsWith(PREFIX);
    }

    /** {@code body}, failing with {@link UploadTooLargeException} once more than the limit was read. */
    public InputStream limit(InputStream body) {
        long limit = bytes();
        return limit < 0 ? body : new FilterInputStream(body) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                count(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                count(Math.max(n, 0));
                return n;
            }

            private void count(int n) throws UploadTooLargeException {
                read += n;
                if (read > limit) {
                    throw new UploadTooLargeException("the request body is larger than " + limit + " bytes");
                }
            }
        };
    }

    /** The 413 answer. */
    Problem problem(String path, String what) {
        return new Problem("urn:tuneforge:problem:payload-too-large", "Request Entity Too Large", 413, what
                + ", over the limit of " + bytes() + " bytes (quarkus.http.limits.max-body-size); upload a smaller file"
                + " (split it, or gzip it: the pipeline reads gzip) or raise the limit; nothing was published", path,
                "PAYLOAD_TOO_LARGE", List.<FieldError>of());
    }

    /** A chunked upload went past the limit. */
    public static class UploadTooLargeException extends IOException {

        public UploadTooLargeException(String message) {
            super(message);
        }
    }
}
