package io.tuneforge.registry.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An error response, RFC 9457 "Problem Details for HTTP APIs" ({@code application/problem+json}).
 *
 * @param type     URI naming the kind of problem; {@code about:blank} when the HTTP status says it all
 * @param title    short summary of the kind of problem
 * @param status   the HTTP status code
 * @param detail   what went wrong in this case, naming the bad value and what would be right
 * @param instance the request path
 */
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record Problem(String type, String title, int status, String detail, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
