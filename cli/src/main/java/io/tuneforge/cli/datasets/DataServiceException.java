package io.tuneforge.cli.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;

import java.io.IOException;

/** data-service refused a request; the message is its problem+json detail, and every bad field on its own line. */
public class DataServiceException extends IOException {

    private final int status;
    private final String code;

    DataServiceException(String message, int status, String code) {
        super(message);
        this.status = status;
        this.code = code;
    }

    static DataServiceException of(String request, int status, String body) {
        try {
            JsonNode problem = Json.mapper().readTree(body);
            if (problem != null && problem.hasNonNull("detail")) {
                StringBuilder m = new StringBuilder(problem.path("code").asText("HTTP " + status)).append(": ")
                        .append(problem.get("detail").asText());
                for (JsonNode error : problem.path("errors")) {
                    m.append(System.lineSeparator()).append("  ").append(error.path("path").asText()).append(": ")
                            .append(error.path("reason").asText());
                }
                return new DataServiceException(m.toString(), status, problem.path("code").asText(null));
            }
        } catch (IOException | RuntimeException e) {
            // not problem+json: say what came back
        }
        String text = body == null || body.isBlank() ? "(no body)" : body.strip();
        return new DataServiceException(request + " answered HTTP " + status + ": "
                + (text.length() > 300 ? text.substring(0, 300) + "…" : text), status, null);
    }

    public int status() {
        return status;
    }

    /** The problem's code (EMPTY_INPUT, INVALID_SETTINGS, NOT_FOUND, …), or null. */
    public String code() {
        return code;
    }
}
