package io.tuneforge.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * JSON over HTTP to one platform service, for the client commands. A non-2xx answer is a {@link ServiceException}
 * ({@code title: detail (field: reason)}); a service that does not answer says so with its address and "is the
 * platform up? run `./tuneforge up`". The bearer token, when there is one, is sent and never printed.
 */
public final class ServiceClient {

    private final String service;
    private final URI base;
    private final String bearer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * @param service e.g. {@code registry-service}, for messages
     * @param baseUrl e.g. {@code http://127.0.0.1:8085}
     * @param bearer  API token, or null
     */
    public ServiceClient(String service, String baseUrl, String bearer) {
        URI uri = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException(service + " address must be http(s)://host:port, got '" + baseUrl
                    + "'");
        }
        this.service = service;
        this.base = uri;
        this.bearer = bearer;
    }

    /** registry-service at its resolved address, with the resolved token ({@code --url}/{@code --token} options). */
    public static ServiceClient registry(PlatformSettings settings, String urlOption, String tokenOption) {
        return new ServiceClient("registry-service", settings.serviceUrl(PlatformSettings.REGISTRY_URL, urlOption),
                settings.registryToken(tokenOption).orElse(null));
    }

    public URI base() {
        return base;
    }

    public JsonNode get(String path, Map<String, String> query) {
        return send(request(path, query).GET());
    }

    public JsonNode post(String path, Object body) {
        String json = body instanceof String s ? s : Json.write(body);
        return send(request(path, Map.of()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    /**
     * Opens a server-sent-events stream and hands back its {@code data:} payloads as they come; the stream ends
     * when the service closes it. Closing the returned stream stops reading.
     */
    public Stream<String> events(String path, Map<String, String> query) {
        HttpRequest request = request(path, query).header("Accept", "text/event-stream").GET().build();
        HttpResponse<Stream<String>> response = exchange(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() / 100 != 2) {
            String body = response.body().collect(Collectors.joining("\n"));
            throw ServiceException.of(call(request), response.statusCode(), body);
        }
        return response.body().filter(line -> line.startsWith("data:")).map(line -> line.substring(5).strip());
    }

    private HttpRequest.Builder request(String path, Map<String, String> query) {
        String q = query == null || query.isEmpty() ? "" : "?" + query.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path + q)).header("Accept", "application/json");
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return b;
    }

    private JsonNode send(HttpRequest.Builder builder) {
        HttpRequest request = builder.timeout(Duration.ofSeconds(60)).build();
        HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        String body = response.body();
        if (response.statusCode() / 100 != 2) {
            throw ServiceException.of(call(request), response.statusCode(), body);
        }
        return body == null || body.isBlank() ? Json.mapper().nullNode() : Json.read(body, JsonNode.class);
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new IllegalStateException(service + " does not answer at " + base + " (" + call(request)
                    + "): is the platform up? run `./tuneforge up` (or give its address with --url)", e);
        } catch (IOException e) {
            throw new IllegalStateException(service + " broke off " + call(request) + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "); `./tuneforge status` shows whether it runs", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + call(request), e);
        }
    }

    private static String call(HttpRequest request) {
        return request.method() + " " + request.uri().getPath();
    }

    /** One path segment, percent-encoded (run ids, model names). */
    public static String segment(String value) {
        return encode(value).replace("+", "%20");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
