package io.tuneforge.data.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tuneforge.contracts.event.FieldError;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * An error response, RFC 9457 "Problem Details for HTTP APIs" ({@code application/problem+json}).
 *
 * @param type     {@code urn:tuneforge:problem:<code>} for the pipeline's refusals, else {@code about:blank}
 * @param title    short summary of the kind of problem
 * @param status   the HTTP status code
 * @param detail   what went wrong in this case, naming the bad value and what would be right
 * @param instance the request path
 * @param code     for programs: {@code EMPTY_INPUT}, {@code UNKNOWN_FORMAT}, {@code CORRUPT_INPUT},
 *                 {@code INVALID_SETTINGS}, {@code IO_ERROR}, {@code NOT_FOUND}, {@code BAD_REQUEST},
 *                 {@code PAYLOAD_TOO_LARGE}, ...
 * @param errors   every bad setting or parameter with what would be right (INVALID_SETTINGS, BAD_REQUEST)
 */
@Schema(name = "Problem", description = "RFC 9457 problem details")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, String code,
                      List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
