package io.tuneforge.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.cli.client.ServiceClient;
import io.tuneforge.cli.client.ServiceException;

import java.util.Map;

/** What the demo's waits share: a GET that answers null while the thing is not there yet, and a pause. */
final class Polling {

    private Polling() {
    }

    /** {@code GET path}, or null on 404. */
    static JsonNode find(ServiceClient client, String path) {
        try {
            return client.get(path, Map.of());
        } catch (ServiceException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
