package io.tuneforge.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;

/**
 * A service refused a request. The message is its problem+json answer as one line, {@code title: detail (field:
 * reason; field: reason)}; a body that is not problem+json is quoted (cut at 300 characters) with the call and status.
 */
public final class ServiceException extends RuntimeException {

    private final int status;

    public ServiceException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The HTTP status the service answered. */
    public int status() {
        return status;
    }

    /** Reads a non-2xx answer of {@code call} ("POST http://.../api/runs"). */
    public static ServiceException of(String call, int status, String body) {
        return new ServiceException(describe(body).orElseGet(() -> {
            String text = body == null || body.isBlank() ? "(no body)" : body.strip();
            return call + " answered HTTP " + status + ": " + (text.length() > 300 ? text.substring(0, 300) + "…"
                    : text);
        }), status);
    }

    /** {@code title: detail (field: reason; ...)} of a problem+json body, or empty when it is not one. */
    public static java.util.Optional<String> describe(String body) {
        JsonNode problem;
        try {
            problem = body == null || body.isBlank() ? null : Json.read(body, JsonNode.class);
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
        if (problem == null || !problem.isObject() || !problem.hasNonNull("detail")) {
            return java.util.Optional.empty();
        }
        String title = problem.path("title").asText(problem.path("code").asText(""));
        StringBuilder m = new StringBuilder(title.isEmpty() ? "HTTP " + problem.path("status").asText() : title)
                .append(": ").append(problem.get("detail").asText());
        StringBuilder fields = new StringBuilder();
        for (JsonNode error : problem.path("errors")) {
            fields.append(fields.isEmpty() ? "" : "; ").append(error.path("path").asText()).append(": ")
                    .append(error.path("reason").asText());
        }
        if (!fields.isEmpty()) {
            m.append(" (").append(fields).append(')');
        }
        return java.util.Optional.of(m.toString());
    }
}
