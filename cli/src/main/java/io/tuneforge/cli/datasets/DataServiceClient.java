package io.tuneforge.cli.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * data-service's REST API over {@code java.net.http}. A problem+json answer becomes a {@link DataServiceException}
 * with the service's own detail and every bad field; a service that does not answer is said as such, with the URL.
 */
public final class DataServiceClient {

    private final URI base;
    private final HttpClient http;

    /** @param base e.g. {@code http://localhost:8081} */
    public DataServiceClient(URI base) {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public URI base() {
        return base;
    }

    /** {@code POST /api/datasets/{name}?settings} with the file as the body (streamed from disk, length known). */
    public JsonNode upload(String name, Path file, Map<String, String> query) throws IOException, InterruptedException {
        if (!Files.isRegularFile(file)) {
            throw new FileNotFoundException("no such file: " + file.toAbsolutePath());
        }
        HttpRequest request = HttpRequest.newBuilder(resolve("api/datasets/" + segment(name), query))
                .header("Content-Type", "application/octet-stream")
                .header("Content-Disposition", "attachment; filename=\"" + file.getFileName() + "\"")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofFile(file))
                .build();
        return send(request);
    }

    /** GET {@code path} (relative to the base, e.g. {@code api/datasets}) as JSON. */
    public JsonNode get(String path, Map<String, String> query) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(resolve(path, query)).header("Accept", "application/json").GET().build());
    }

    private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new IOException("data-service does not answer at " + base + " (" + e.getClass().getSimpleName()
                    + "): is the platform up? run `./tuneforge up` (or give its address with --url)", e);
        }
        String body = response.body();
        if (response.statusCode() / 100 == 2) {
            return body.isBlank() ? Json.mapper().nullNode() : Json.mapper().readTree(body);
        }
        throw DataServiceException.of(request.method() + " " + request.uri().getPath(), response.statusCode(), body);
    }

    private URI resolve(String path, Map<String, String> query) {
        String q = query == null || query.isEmpty() ? "" : "?" + query.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
        return base.resolve(path + q);
    }

    static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
