package io.tuneforge.eval.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.storage.StorageException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The OpenAI-compatible endpoint, for any OpenAI client (base URL {@code http://host:8084/v1}):
 * <ul>
 *   <li>{@code GET /v1/models}, {@code GET /v1/models/{model}} — what can be named in {@code model};</li>
 *   <li>{@code POST /v1/chat/completions} — through the model's chat template;</li>
 *   <li>{@code POST /v1/completions} — raw text continuation.</li>
 * </ul>
 * With {@code "stream": true} the answer is Server-Sent Events: {@code data: {chunk}} per text delta as soon as it
 * is decoded, a last chunk with {@code finish_reason}, a usage chunk when {@code stream_options.include_usage},
 * then {@code data: [DONE]}. Errors use OpenAI's shape {@code {"error": {message, type, param, code}}}.
 * Plain Vert.x routes rather than JAX-RS: one handler answers either JSON or an event stream depending on the body,
 * and writes each chunk the moment it exists. Generation runs on a worker thread ({@code blockingHandler}).
 */
@ApplicationScoped
public class OpenAiRoutes {

    private static final Logger LOG = Logger.getLogger(OpenAiRoutes.class);
    private static final long MAX_BODY = 4L * 1024 * 1024;

    private final InferenceService inference;
    private final ModelResolver resolver;
    private final ObjectMapper json;

    public OpenAiRoutes(InferenceService inference, ModelResolver resolver, ObjectMapper json) {
        this.inference = inference;
        this.resolver = resolver;
        this.json = json;
    }

    void routes(@Observes Router router) {
        router.get("/v1/models").blockingHandler(ctx -> guarded(ctx, () -> listModels(ctx)), false);
        router.get("/v1/models/:model").blockingHandler(ctx -> guarded(ctx, () -> model(ctx)), false);
        router.post("/v1/chat/completions").handler(BodyHandler.create().setBodyLimit(MAX_BODY))
                .blockingHandler(ctx -> guarded(ctx, () -> complete(ctx, true)), false);
        router.post("/v1/completions").handler(BodyHandler.create().setBodyLimit(MAX_BODY))
                .blockingHandler(ctx -> guarded(ctx, () -> complete(ctx, false)), false);
    }

    private void listModels(RoutingContext ctx) {
        Map<String, List<String>> loaded = inference.loadedAdapters();
        ObjectNode list = json.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        resolver.list().forEach((name, uri) -> {
            boolean isLoaded = loaded.containsKey(uri) || loaded.values().stream().anyMatch(a -> a.contains(uri));
            ObjectNode m = data.addObject().put("id", name).put("object", "model").put("created", 0)
                    .put("owned_by", "tuneforge");
            m.putObject("tuneforge").put("uri", uri).put("loaded", isLoaded);
        });
        send(ctx.response(), 200, list);
    }

    private void model(RoutingContext ctx) {
        ModelRef ref = resolver.resolve(ctx.pathParam("model"));
        ObjectNode m = json.createObjectNode().put("id", ref.name()).put("object", "model").put("created", 0)
                .put("owned_by", "tuneforge");
        m.putObject("tuneforge").put("base", ref.baseUri()).put("adapter", ref.adapterUri());
        send(ctx.response(), 200, m);
    }

    private void complete(RoutingContext ctx, boolean chat) {
        JsonNode body;
        try {
            body = ctx.body() == null || ctx.body().buffer() == null ? null : json.readTree(ctx.body().asString());
        } catch (Exception e) {
            throw OpenAiException.invalid(null, "We could not parse the JSON body of your request: " + e.getMessage());
        }
        if (body == null || !body.isObject()) {
            throw OpenAiException.invalid(null, "The body must be a JSON object");
        }
        CompletionRequest request = chat ? CompletionRequest.chat(body) : CompletionRequest.completion(body);
        ModelRef ref = inference.resolve(request.model());
        String id = (chat ? "chatcmpl-" : "cmpl-") + UUID.randomUUID().toString().replace("-", "");
        long created = Instant.now().getEpochSecond();
        if (request.stream()) {
            stream(ctx, chat, request, ref, id, created);
            return;
        }
        StreamingDecoder.Result result = inference.complete(ref, request, delta -> true);
        ObjectNode out = header(id, chat ? "chat.completion" : "text_completion", created, request.model());
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        if (chat) {
            choice.putObject("message").put("role", "assistant").put("content", result.text());
        } else {
            choice.put("text", result.text());
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(result));
        usage(out, result);
        send(ctx.response(), 200, out);
    }

    private void stream(RoutingContext ctx, boolean chat, CompletionRequest request, ModelRef ref, String id,
                        long created) {
        HttpServerResponse response = ctx.response();
        String object = chat ? "chat.completion.chunk" : "text_completion";
        boolean[] started = {false};
        StreamingDecoder.Listener listener = delta -> {
            if (response.closed()) {
                return false;
            }
            if (!started[0]) {
                begin(response);
                started[0] = true;
                if (chat) {
                    event(response, chunk(id, object, created, request.model(), chat, "", true, null));
                }
            }
            event(response, chunk(id, object, created, request.model(), chat, delta, false, null));
            return true;
        };
        StreamingDecoder.Result result;
        try {
            result = inference.complete(ref, request, listener);
        } catch (OpenAiException e) {
            if (!started[0]) {
                throw e; // nothing sent yet: an ordinary error response
            }
            event(response, error(e));
            response.end();
            return;
        }
        if (response.closed()) {
            LOG.debugf("Client of %s went away after %d tokens", id, result.completionTokens());
            return;
        }
        if (!started[0]) {
            begin(response);
            if (chat) {
                event(response, chunk(id, object, created, request.model(), chat, "", true, null));
            }
        }
        event(response, chunk(id, object, created, request.model(), chat, null, false, finishReason(result)));
        if (request.includeUsage()) {
            ObjectNode usage = header(id, object, created, request.model());
            usage.putArray("choices");
            usage(usage, result);
            event(response, usage);
        }
        response.write("data: [DONE]\n\n");
        response.end();
    }

    private static void begin(HttpServerResponse response) {
        response.setStatusCode(200).setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
    }

    private ObjectNode chunk(String id, String object, long created, String model, boolean chat, String delta,
                             boolean role, String finish) {
        ObjectNode out = header(id, object, created, model);
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        if (chat) {
            ObjectNode d = choice.putObject("delta");
            if (role) {
                d.put("role", "assistant");
            }
            if (delta != null) {
                d.put("content", delta);
            }
        } else {
            choice.put("text", delta == null ? "" : delta);
        }
        choice.putNull("logprobs");
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return out;
    }

    private ObjectNode header(String id, String object, long created, String model) {
        return json.createObjectNode().put("id", id).put("object", object).put("created", created).put("model", model)
                .putNull("system_fingerprint");
    }

    private static void usage(ObjectNode out, StreamingDecoder.Result result) {
        out.putObject("usage").put("prompt_tokens", result.promptTokens())
                .put("completion_tokens", result.completionTokens())
                .put("total_tokens", result.promptTokens() + result.completionTokens());
    }

    private static String finishReason(StreamingDecoder.Result result) {
        return "cancelled".equals(result.finishReason()) ? "stop" : result.finishReason();
    }

    private void event(HttpServerResponse response, ObjectNode data) {
        try {
            response.write("data: " + json.writeValueAsString(data) + "\n\n");
        } catch (Exception e) {
            throw new IllegalStateException("cannot write an event: " + e.getMessage(), e);
        }
    }

    private ObjectNode error(OpenAiException e) {
        ObjectNode out = json.createObjectNode();
        ObjectNode error = out.putObject("error").put("message", e.getMessage()).put("type", e.type());
        if (e.param() == null) {
            error.putNull("param");
        } else {
            error.put("param", e.param());
        }
        if (e.code() == null) {
            error.putNull("code");
        } else {
            error.put("code", e.code());
        }
        return out;
    }

    /** Runs a handler and answers any failure in OpenAI's error shape (unless a stream already began). */
    private void guarded(RoutingContext ctx, Runnable handler) {
        try {
            handler.run();
        } catch (OpenAiException e) {
            respondError(ctx, e);
        } catch (StorageException e) {
            respondError(ctx, new OpenAiException(503, "server_error", null, "storage_unavailable",
                    "The object store failed: " + e.getMessage() + "; try again once /q/health/ready is UP"));
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s %s failed", ctx.request().method(), ctx.request().path());
            respondError(ctx, new OpenAiException(500, "server_error", null, null, "The server had an error while"
                    + " processing your request (" + e + "); the eval-service log has the details"));
        }
    }

    private void respondError(RoutingContext ctx, OpenAiException e) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten()) {
            if (!response.ended() && !response.closed()) {
                event(response, error(e));
                response.end();
            }
            return;
        }
        send(response, e.status(), error(e));
    }

    private void send(HttpServerResponse response, int status, ObjectNode body) {
        try {
            response.setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(json.writeValueAsString(body));
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the response: " + e.getMessage(), e);
        }
    }
}
