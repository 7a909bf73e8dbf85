package io.tuneforge.registry.rest;

import io.tuneforge.contracts.event.FieldError;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * A refused request body: problem details (RFC 9457) plus every bad field.
 *
 * @param errors   each bad field with its JSON path and what would be right
 * @param warnings fields that were ignored (possible typos), for information
 */
@Schema(name = "ValidationProblem", description = "RFC 9457 problem details listing every bad field")
public record ValidationProblem(String type, String title, int status, String detail, String instance,
                                List<FieldError> errors, List<FieldError> warnings) {
}
