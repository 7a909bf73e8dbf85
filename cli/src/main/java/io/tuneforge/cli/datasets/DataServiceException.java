package io.tuneforge.cli.datasets;

import io.tuneforge.cli.client.ServiceException;
import io.tuneforge.contracts.Json;

import java.io.IOException;

/** data-service refused a request; the message is its problem+json as {@code title: detail (field: reason; ...)}. */
public class DataServiceException extends IOException {

    private final int status;
    private final String code;

    DataServiceException(String message, int status, String code) {
        super(message);
        this.status = status;
        this.code = code;
    }

    static DataServiceException of(String request, int status, String body) {
        String code = null;
        try {
            code = Json.mapper().readTree(body).path("code").asText(null);
        } catch (IOException | RuntimeException e) {
            // not JSON: no code
        }
        return new DataServiceException(ServiceException.of(request, status, body).getMessage(), status, code);
    }

    public int status() {
        return status;
    }

    /** The problem's code (EMPTY_INPUT, INVALID_SETTINGS, NOT_FOUND, …), or null. */
    public String code() {
        return code;
    }
}
