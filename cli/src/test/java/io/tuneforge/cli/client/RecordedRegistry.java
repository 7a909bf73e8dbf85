package io.tuneforge.cli.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A real HTTP server (the JDK's) that answers like registry-service: each route a function of the exchange returning
 * {@code status + body} in the JSON shapes of RunResource, RunStreamResource and ProblemMappers (read from the
 * service's code). It checks the bearer token like the registry's ApiTokenMechanism: a wrong one is 401 problem+json.
 * Every request is recorded ({@code METHOD path?query body}) so tests can say what was and was not sent.
 */
public final class RecordedRegistry implements AutoCloseable {

    /** An answer: HTTP status, content type and body. */
    public record Answer(int status, String contentType, String body) {
        public static Answer json(int status, String body) {
            return new Answer(status, status / 100 == 2 ? "application/json" : "application/problem+json", body);
        }
    }

    private final HttpServer server;
    private final String token;
    private final Map<String, Function<HttpExchange, Answer>> routes = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    public RecordedRegistry(String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "recorded-registry");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Routes {@code "GET /api/runs"} (method, space, path without query) to an answer. */
    public RecordedRegistry on(String route, Function<HttpExchange, Answer> answer) {
        routes.put(route, answer);
        return this;
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** Problem details as ProblemMappers writes them. */
    public static String problem(int status, String title, String detail, String instance, String errors) {
        return "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\"" + detail
                + "\",\"instance\":\"" + instance + "\"" + (errors == null ? "" : ",\"errors\":" + errors) + "}";
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        requests.add(exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + query)
                + (body.isEmpty() ? "" : " " + body));
        Answer answer;
        if (token != null && !("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer = Answer.json(401, problem(401, "Unauthorized", "A valid API token is required", path, null));
        } else {
            var route = routes.get(exchange.getRequestMethod() + " " + path);
            answer = route == null ? Answer.json(404, problem(404, "Not Found", "No route " + path, path, null))
                    : route.apply(exchange);
        }
        if ("text/event-stream".equals(answer.contentType())) {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (String event : answer.body().split("\n")) {
                    out.write(("data:" + event + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
            return;
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
