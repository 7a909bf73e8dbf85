package io.tuneforge.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * JSON over HTTP to one of the platform's services, for the demo: a non-2xx answer is an error that names the call,
 * the status and the service's own message (problem+json {@code detail}, OpenAI-style {@code error.message}, or the
 * body). The bearer token, when given, is sent and never printed.
 */
final class JsonHttp {

    private final String service;
    private final URI base;
    private final String bearer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    JsonHttp(String service, String baseUrl, String bearer) {
        this.service = service;
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.bearer = bearer;
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    /** GET that answers null on 404 (not there yet). */
    JsonNode find(String path) {
        try {
            return get(path);
        } catch (HttpError e) {
            if (e.status == 404) {
                return null;
            }
            throw e;
        }
    }

    JsonNode post(String path, Object body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8)));
    }

    private JsonNode send(HttpRequest.Builder builder) {
        builder.timeout(Duration.ofSeconds(60)).header("Accept", "application/json");
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        HttpRequest request = builder.build();
        String call = request.method() + " " + request.uri();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(service + " did not answer " + call + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); `tuneforge status` shows whether it"
                    + " runs, .tuneforge/logs/" + service + ".log why not", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + call, e);
        }
        String body = response.body();
        if (response.statusCode() / 100 != 2) {
            throw new HttpError(response.statusCode(), service + " answered " + call + " with " + response.statusCode()
                    + ": " + message(body));
        }
        return body == null || body.isBlank() ? Json.mapper().nullNode() : Json.read(body, JsonNode.class);
    }

    private static String message(String body) {
        try {
            JsonNode node = Json.read(body, JsonNode.class);
            String detail = node.path("detail").asText(node.path("error").path("message").asText(""));
            return detail.isEmpty() ? body : detail + (node.has("errors") ? " " + node.get("errors") : "");
        } catch (RuntimeException e) {
            return body == null || body.isBlank() ? "(no body)" : body;
        }
    }

    /** A non-2xx answer. */
    static final class HttpError extends IllegalStateException {
        final int status;

        HttpError(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
